/// Maps Unicode scalars to dense ids so that pieces and training units are small integer arrays.
struct CharacterTable {
    private(set) var scalars: [Unicode.Scalar] = []
    private var ids: [Unicode.Scalar: Int32] = [:]

    mutating func id(_ s: Unicode.Scalar) -> Int32 {
        if let id = ids[s] { return id }
        let id = Int32(scalars.count)
        scalars.append(s)
        ids[s] = id
        return id
    }

    func lookup(_ s: Unicode.Scalar) -> Int32? { ids[s] }

    func string(_ chars: [Int32]) -> String {
        var out = String.UnicodeScalarView()
        for c in chars { out.append(scalars[Int(c)]) }
        return String(out)
    }
}
