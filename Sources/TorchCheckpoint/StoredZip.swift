import Foundation

/// A read-only view of a zip archive whose entries are stored uncompressed, as `torch.save` writes them.
/// The file is memory-mapped; entry data are slices of the mapping.
final class StoredZip: @unchecked Sendable {
    let path: String
    let data: Data
    /// Entry name -> (offset of the data in the file, size).
    private(set) var entries: [String: Range<Int>] = [:]
    /// Entry names in central-directory order.
    private(set) var names: [String] = []

    init(path: String) throws {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw TorchCheckpointError.io(file: path, message: "cannot open (\(error.localizedDescription))")
        }
        try readCentralDirectory()
    }

    func bytes(_ name: String) -> Data? {
        guard let r = entries[name] else { return nil }
        return data.subdata(in: r)
    }

    private func fail(_ message: String) -> TorchCheckpointError { .zip(file: path, message: message) }

    private func u16(_ at: Int) throws -> Int {
        guard at >= 0, at + 2 <= data.count else { throw fail("truncated at byte \(at)") }
        return Int(data[data.startIndex + at]) | Int(data[data.startIndex + at + 1]) << 8
    }

    private func u32(_ at: Int) throws -> Int {
        let low = try u16(at), high = try u16(at + 2)
        return low | high << 16
    }

    private func u64(_ at: Int) throws -> Int {
        let low = try u32(at), high = try u32(at + 4)
        let v = UInt64(low) | UInt64(high) << 32
        guard v < UInt64(Int.max) else { throw fail("64-bit field out of range at byte \(at)") }
        return Int(v)
    }

    private func readCentralDirectory() throws {
        // End of central directory: 22 bytes plus a comment of at most 65535 bytes.
        let n = data.count
        guard n >= 22 else { throw fail("not a zip file (\(n) bytes)") }
        var eocd = -1
        var i = n - 22
        while i >= max(0, n - 22 - 65535) {
            if try u32(i) == 0x0605_4b50 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw fail("not a zip file (no end-of-central-directory record); torch.save's legacy non-zip format is not read") }
        var count = try u16(eocd + 10)
        var dirOffset = try u32(eocd + 16)
        // Zip64 end-of-central-directory locator sits just before the classic record.
        if eocd >= 20, try u32(eocd - 20) == 0x0706_4b50 {
            let zip64 = try u64(eocd - 12)
            guard try u32(zip64) == 0x0606_4b50 else { throw fail("bad zip64 end-of-central-directory record") }
            count = try u64(zip64 + 32)
            dirOffset = try u64(zip64 + 48)
        }
        var p = dirOffset
        for _ in 0..<count {
            guard try u32(p) == 0x0201_4b50 else { throw fail("bad central-directory entry at byte \(p)") }
            let flags = try u16(p + 8), method = try u16(p + 10)
            var compressed = try u32(p + 20), size = try u32(p + 24)
            let nameLength = try u16(p + 28), extraLength = try u16(p + 30), commentLength = try u16(p + 32)
            var local = try u32(p + 42)
            guard p + 46 + nameLength <= n else { throw fail("truncated central directory") }
            let nameBytes = data.subdata(in: (data.startIndex + p + 46)..<(data.startIndex + p + 46 + nameLength))
            let name = String(decoding: nameBytes, as: UTF8.self)
            // Zip64 extended information: the 64-bit values for the fields set to 0xFFFFFFFF, in this order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let tag = try u16(e), length = try u16(e + 2)
                if tag == 0x0001 {
                    var q = e + 4
                    if size == 0xFFFF_FFFF { size = try u64(q); q += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = try u64(q); q += 8 }
                    if local == 0xFFFF_FFFF { local = try u64(q) }
                }
                e += 4 + length
            }
            guard flags & 1 == 0 else { throw fail("entry '\(name)' is encrypted") }
            guard method == 0, compressed == size else {
                throw fail("entry '\(name)' is compressed (method \(method)); torch.save stores entries uncompressed")
            }
            guard try u32(local) == 0x0403_4b50 else { throw fail("bad local header of '\(name)'") }
            let localName = try u16(local + 26), localExtra = try u16(local + 28)
            let start = local + 30 + localName + localExtra
            guard start + size <= n else { throw fail("entry '\(name)' runs past the end of the file") }
            entries[name] = (data.startIndex + start)..<(data.startIndex + start + size)
            names.append(name)
            p += 46 + nameLength + extraLength + commentLength
        }
    }
}
