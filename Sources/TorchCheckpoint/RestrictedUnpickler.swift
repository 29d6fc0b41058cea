import Foundation

/// A pickle reader for checkpoints that never runs code: the equivalent of `torch.load(weights_only=True)`.
/// It interprets the opcodes `torch.save` emits (protocols 2 to 5) and calls only the allow-listed
/// globals below, each by a Swift re-implementation; any other GLOBAL, STACK_GLOBAL, REDUCE or NEWOBJ target is
/// refused before anything is built.
struct RestrictedUnpickler {
    /// Callables the reader re-implements, and classes that are only plain containers.
    static let allowedGlobals = Set<String>([
        "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state", "torch._tensor._rebuild_from_type_v2",
        "torch.Tensor", "torch.nn.parameter.Parameter",
        "collections.OrderedDict", "builtins.set", "builtins.frozenset", "_codecs.encode",
        // PyTorch Lightning's hyper-parameter dict: a dict subclass with attribute access, read as a dict.
        "pytorch_lightning.utilities.parsing.AttributeDict", "lightning_fabric.utilities.data.AttributeDict",
        "lightning.fabric.utilities.data.AttributeDict", "lightning.pytorch.utilities.parsing.AttributeDict",
    ]).union(TorchDType.byStorageClass.keys.map { "torch.\($0)" })

    let file: String
    let bytes: [UInt8]
    private var pos = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
    }

    private func fail(_ message: String) -> TorchCheckpointError { .pickle(file: file, message: message) }

    // MARK: reading the stream

    private mutating func byte() throws -> UInt8 {
        guard pos < bytes.count else { throw fail("truncated stream (no STOP)") }
        defer { pos += 1 }
        return bytes[pos]
    }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - pos else { throw fail("truncated stream at byte \(pos)") }
        defer { pos += n }
        return bytes[pos..<(pos + n)]
    }

    private mutating func uint(_ n: Int) throws -> Int {
        var v: UInt64 = 0
        for (i, b) in try take(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        guard v <= UInt64(Int.max) else { throw fail("length out of range at byte \(pos)") }
        return Int(v)
    }

    private mutating func line() throws -> String {
        guard let end = bytes[pos...].firstIndex(of: 0x0A) else { throw fail("unterminated text argument at byte \(pos)") }
        defer { pos = end + 1 }
        return String(decoding: bytes[pos..<end], as: UTF8.self)
    }

    private mutating func pop() throws -> PickleValue {
        guard let v = stack.popLast() else { throw fail("stack underflow at byte \(pos)") }
        if let m = marks.last, stack.count < m { throw fail("stack underflow past MARK at byte \(pos)") }
        return v
    }

    private mutating func popMark() throws -> [PickleValue] {
        guard let m = marks.popLast() else { throw fail("no MARK at byte \(pos)") }
        defer { stack.removeSubrange(m...) }
        return Array(stack[m...])
    }

    private func signedLittleEndian(_ s: ArraySlice<UInt8>) throws -> Int {
        if s.isEmpty { return 0 }
        guard s.count <= 8 else { throw fail("integer wider than 64 bits at byte \(pos)") }
        var v: UInt64 = 0
        for (i, b) in s.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        if s.count < 8, s.last! & 0x80 != 0 { v |= ~UInt64(0) << (8 * UInt64(s.count)) }
        return Int(Int64(bitPattern: v))
    }

    // MARK: the interpreter

    mutating func load() throws -> PickleValue {
        while true {
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()                                     // PROTO
            case 0x95: _ = try take(8)                                    // FRAME
            case 0x2E: return try pop()                                   // STOP
            case 0x28: marks.append(stack.count)                          // MARK
            case 0x30: _ = try pop()                                      // POP
            case 0x31: _ = try popMark()                                  // POP_MARK
            case 0x32: let v = try pop(); stack += [v, v]                 // DUP
            case 0x4E: stack.append(.none)                                // NONE
            case 0x88: stack.append(.bool(true))                          // NEWTRUE
            case 0x89: stack.append(.bool(false))                         // NEWFALSE
            case 0x4A: stack.append(.int(try signedLittleEndian(try take(4))))   // BININT
            case 0x4B: stack.append(.int(try uint(1)))                    // BININT1
            case 0x4D: stack.append(.int(try uint(2)))                    // BININT2
            case 0x8A: stack.append(.int(try signedLittleEndian(try take(try uint(1)))))  // LONG1
            case 0x8B: stack.append(.int(try signedLittleEndian(try take(try uint(4)))))  // LONG4
            case 0x47:                                                    // BINFLOAT (big-endian)
                var v: UInt64 = 0
                for b in try take(8) { v = v << 8 | UInt64(b) }
                stack.append(.float(Double(bitPattern: v)))
            case 0x58: stack.append(.string(String(decoding: try take(try uint(4)), as: UTF8.self)))  // BINUNICODE
            case 0x8C: stack.append(.string(String(decoding: try take(try uint(1)), as: UTF8.self)))  // SHORT_BINUNICODE
            case 0x8D: stack.append(.string(String(decoding: try take(try uint(8)), as: UTF8.self)))  // BINUNICODE8
            case 0x55: stack.append(.string(String(decoding: try take(try uint(1)), as: UTF8.self)))  // SHORT_BINSTRING
            case 0x54: stack.append(.string(String(decoding: try take(try uint(4)), as: UTF8.self)))  // BINSTRING
            case 0x43: stack.append(.bytes(Array(try take(try uint(1)))))        // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(Array(try take(try uint(4)))))        // BINBYTES
            case 0x8E: stack.append(.bytes(Array(try take(try uint(8)))))        // BINBYTES8
            case 0x29: stack.append(.tuple([]))                           // EMPTY_TUPLE
            case 0x85: stack.append(.tuple([try pop()]))                  // TUPLE1
            case 0x86: let b = try pop(), a = try pop(); stack.append(.tuple([a, b]))             // TUPLE2
            case 0x87: let c = try pop(), b = try pop(), a = try pop(); stack.append(.tuple([a, b, c]))  // TUPLE3
            case 0x74: stack.append(.tuple(try popMark()))                // TUPLE
            case 0x5D: stack.append(.list(PickleList()))                  // EMPTY_LIST
            case 0x6C: stack.append(.list(PickleList(try popMark())))     // LIST
            case 0x7D: stack.append(.dict(PickleDict()))                  // EMPTY_DICT
            case 0x64:                                                    // DICT
                let d = PickleDict()
                try setItems(d, try popMark())
                stack.append(.dict(d))
            case 0x8F: stack.append(.list(PickleList()))                  // EMPTY_SET (read as a list)
            case 0x91: stack.append(.list(PickleList(try popMark())))     // FROZENSET
            case 0x61, 0x65, 0x90:                                        // APPEND, APPENDS, ADDITEMS
                let items = op == 0x61 ? [try pop()] : try popMark()
                guard case .list(let l)? = stack.last else { throw fail("append to a \(stack.last?.kind ?? "nothing") at byte \(pos)") }
                l.items += items
            case 0x73, 0x75:                                              // SETITEM, SETITEMS
                let items: [PickleValue]
                if op == 0x73 { let v = try pop(), k = try pop(); items = [k, v] } else { items = try popMark() }
                guard case .dict(let d)? = stack.last else { throw fail("setitem on a \(stack.last?.kind ?? "nothing") at byte \(pos)") }
                try setItems(d, items)
            case 0x71: memo[try uint(1)] = try top()                      // BINPUT
            case 0x72: memo[try uint(4)] = try top()                      // LONG_BINPUT
            case 0x94: memo[memo.count] = try top()                       // MEMOIZE
            case 0x68: stack.append(try memoGet(try uint(1)))             // BINGET
            case 0x6A: stack.append(try memoGet(try uint(4)))             // LONG_BINGET
            case 0x63:                                                    // GLOBAL "module\nname\n"
                let module = try line(), name = try line()
                stack.append(try global(module, name))
            case 0x93:                                                    // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard let m = module.stringValue, let n = name.stringValue else { throw fail("STACK_GLOBAL of non-strings") }
                stack.append(try global(m, n))
            case 0x51: stack.append(try persistent(try pop()))            // BINPERSID
            case 0x52:                                                    // REDUCE
                let args = try pop(), callable = try pop()
                stack.append(try call(callable, args))
            case 0x81:                                                    // NEWOBJ
                let args = try pop(), cls = try pop()
                stack.append(try call(cls, args))
            case 0x62:                                                    // BUILD: state of an allowed object
                let state = try pop()
                _ = try top()
                _ = state   // Attributes (OrderedDict._metadata, Parameter hooks) carry no weights: dropped.
            default:
                throw fail(String(format: "unsupported opcode 0x%02X at byte %d", op, pos - 1))
            }
        }
    }

    private func top() throws -> PickleValue {
        guard let v = stack.last else { throw fail("stack underflow at byte \(pos)") }
        return v
    }

    private func memoGet(_ i: Int) throws -> PickleValue {
        guard let v = memo[i] else { throw fail("memo key \(i) not defined at byte \(pos)") }
        return v
    }

    private func setItems(_ d: PickleDict, _ items: [PickleValue]) throws {
        guard items.count % 2 == 0 else { throw fail("odd number of dict items at byte \(pos)") }
        for i in stride(from: 0, to: items.count, by: 2) { d.set(items[i], items[i + 1]) }
    }

    private func global(_ module: String, _ name: String) throws -> PickleValue {
        let full = "\(module).\(name)"
        guard Self.allowedGlobals.contains(full) else { throw TorchCheckpointError.refusedGlobal(file: file, global: full) }
        return .global(module: module, name: name)
    }

    private func persistent(_ pid: PickleValue) throws -> PickleValue {
        guard case .tuple(let t) = pid, t.count == 5, t[0].stringValue == "storage",
              case .global("torch", let cls) = t[1], let dtype = TorchDType.byStorageClass[cls],
              let key = t[2].stringValue, let count = t[4].intValue, count >= 0 else {
            throw fail("persistent id is not ('storage', torch.<Type>Storage, key, location, numel)")
        }
        return .storage(StorageReference(key: key, dtype: dtype, count: count))
    }

    /// The Swift stand-ins for the allowed callables.
    private func call(_ callable: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case .global(let module, let name) = callable else {
            throw fail("call of a \(callable.kind), not an allowed global, at byte \(pos)")
        }
        let full = "\(module).\(name)"
        let a = args.tupleOrListItems ?? []
        switch full {
        case "torch._utils._rebuild_tensor_v2":
            guard a.count >= 4, case .storage(let s) = a[0], let offset = a[1].intValue,
                  let shape = a[2].tupleOrListItems?.compactMap(\.intValue), let strides = a[3].tupleOrListItems?.compactMap(\.intValue),
                  shape.count == a[2].tupleOrListItems?.count, strides.count == shape.count else {
                throw fail("_rebuild_tensor_v2 with unexpected arguments at byte \(pos)")
            }
            return .tensor(TensorRecord(storage: s, offset: offset, shape: shape, strides: strides))
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard let data = a.first, case .tensor = data else { throw fail("\(name) of a non-tensor at byte \(pos)") }
            return data
        case "torch._tensor._rebuild_from_type_v2":
            guard a.count >= 3 else { throw fail("_rebuild_from_type_v2 with unexpected arguments at byte \(pos)") }
            return try call(a[0], a[2])
        case "collections.OrderedDict", "builtins.set", "builtins.frozenset",
             _ where name == "AttributeDict":
            if full.hasSuffix("set") { return .list(PickleList(a.first?.tupleOrListItems ?? [])) }
            let d = PickleDict()
            if let pairs = a.first?.tupleOrListItems {
                for p in pairs {
                    guard let kv = p.tupleOrListItems, kv.count == 2 else { throw fail("\(name) of non-pairs at byte \(pos)") }
                    d.set(kv[0], kv[1])
                }
            }
            return .dict(d)
        case "_codecs.encode":
            // Protocol 2 writes bytes as _codecs.encode(text, 'latin1').
            guard let text = a.first?.stringValue else { throw fail("_codecs.encode of a non-string at byte \(pos)") }
            return .bytes(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        default:
            throw TorchCheckpointError.refusedGlobal(file: file, global: full)
        }
    }
}
