/// A compiled pattern with Oniguruma's matching semantics (leftmost-first backtracking; `^` at the start
/// and after `\n` only; Unicode `\s`, `\w`, `\p{..}`), run by a small backtracking VM over UTF-8 bytes.
public final class OnigRegex: @unchecked Sendable {
    enum Op {
        case scalar(UInt32)
        case charClass(CharClass)
        case any(dotAll: Bool)
        case split(Int, Int)          // try the first target, backtrack to the second
        case jump(Int)
        case lineStart, lineEnd, textStart, textEnd, textEndBeforeNewline
        case wordBoundary(negated: Bool)
        case lookahead(Int, negated: Bool)
        case lookbehind([(pc: Int, length: Int)], negated: Bool)
        case match
    }

    public let pattern: String
    private var ops: [Op] = []
    /// Every match starts at a line start (`^` before anything that consumes): only those positions are tried.
    private var lineAnchored = false
    private var mainLength = 0
    /// The pattern is a plain string of scalars: searched with a byte scan instead of the VM.
    private var literal: [UInt8]?
    static let stepBudget = 50_000_000

    public init(pattern: String) throws {
        self.pattern = pattern
        let node = try RegexParser.parse(pattern)
        compileProgram(node)
    }

    /// The Whitespace pre-tokenizer's `\w+|[^\w\s]+` with Rust's `\w` and `\s`.
    init(rustWordPattern: Void) {
        pattern = "\\w+|[^\\w\\s]+"
        let word = CharClass(items: [.rustWord], negated: false, caseInsensitive: false)
        let other = CharClass(items: [.rustWord, .rustSpace], negated: true, caseInsensitive: false)
        compileProgram(.alternation([.repetition(.charClass(word), min: 1, max: nil, greedy: true),
                                     .repetition(.charClass(other), min: 1, max: nil, greedy: true)]))
    }

    /// A regex matching `text` literally (the `String` form of Replace and Split patterns).
    public init(literal text: String) {
        pattern = text
        let scalars = text.unicodeScalars.map { RegexNode.scalar($0.value, caseInsensitive: false) }
        compileProgram(scalars.isEmpty ? .empty : .concat(scalars))
        if !text.isEmpty { literal = Array(text.utf8) }
    }

    private func compileProgram(_ node: RegexNode) {
        var pending: [(Int, RegexNode, Int)] = []   // (op index to patch, node, lookbehind alt index)
        emit(node, &pending)
        ops.append(.match)
        mainLength = ops.count
        var i = 0
        while i < pending.count {
            let (at, sub, alt) = pending[i]
            let start = ops.count
            emit(sub, &pending)
            ops.append(.match)
            switch ops[at] {
            case .lookahead(_, let negated): ops[at] = .lookahead(start, negated: negated)
            case .lookbehind(var alts, let negated):
                alts[alt].pc = start
                ops[at] = .lookbehind(alts, negated: negated)
            default: break
            }
            i += 1
        }
        // Zero-width look-arounds may precede the anchor; a split or consuming op ends the scan.
        scan: for op in ops[0..<mainLength] {
            switch op {
            case .lookahead, .lookbehind: continue
            case .lineStart, .textStart: lineAnchored = true; break scan
            default: break scan
            }
        }
    }

    private func emit(_ node: RegexNode, _ pending: inout [(Int, RegexNode, Int)]) {
        switch node {
        case .empty: break
        case .scalar(let v, let ci):
            let eq = ci ? CaseFolding.equivalents(of: v) : [v]
            if eq.count == 1 { ops.append(.scalar(v)) } else {
                ops.append(.charClass(CharClass(items: eq.map { .range($0, $0) }, negated: false, caseInsensitive: false)))
            }
        case .charClass(let c): ops.append(.charClass(c))
        case .any(let dotAll): ops.append(.any(dotAll: dotAll))
        case .concat(let parts): for p in parts { emit(p, &pending) }
        case .alternation(let alts):
            var jumps: [Int] = []
            for (k, a) in alts.enumerated() {
                if k < alts.count - 1 {
                    let split = ops.count
                    ops.append(.split(split + 1, -1))
                    emit(a, &pending)
                    jumps.append(ops.count)
                    ops.append(.jump(-1))
                    ops[split] = .split(split + 1, ops.count)
                } else {
                    emit(a, &pending)
                }
            }
            for j in jumps { ops[j] = .jump(ops.count) }
        case .repetition(let body, let min, let max, let greedy):
            for _ in 0..<min { emit(body, &pending) }
            if let max {
                var exits: [Int] = []
                for _ in 0..<(max - min) {
                    exits.append(ops.count)
                    ops.append(.split(-1, -1))
                    emit(body, &pending)
                }
                let end = ops.count
                for e in exits { ops[e] = greedy ? .split(e + 1, end) : .split(end, e + 1) }
            } else {
                let loop = ops.count
                ops.append(.split(-1, -1))
                emit(body, &pending)
                ops.append(.jump(loop))
                let end = ops.count
                ops[loop] = greedy ? .split(loop + 1, end) : .split(end, loop + 1)
            }
        case .lookahead(let sub, let negated):
            pending.append((ops.count, sub, 0))
            ops.append(.lookahead(-1, negated: negated))
        case .lookbehind(let sub, let negated):
            let at = ops.count
            if let n = sub.fixedLength {
                pending.append((at, sub, 0))
                ops.append(.lookbehind([(pc: -1, length: n)], negated: negated))
            } else if case .alternation(let alts) = sub {
                for (k, a) in alts.enumerated() { pending.append((at, a, k)) }
                ops.append(.lookbehind(alts.map { (pc: -1, length: $0.fixedLength ?? 0) }, negated: negated))
            }
        case .lineStart: ops.append(.lineStart)
        case .lineEnd: ops.append(.lineEnd)
        case .textStart: ops.append(.textStart)
        case .textEnd: ops.append(.textEnd)
        case .textEndBeforeNewline: ops.append(.textEndBeforeNewline)
        case .wordBoundary(let negated): ops.append(.wordBoundary(negated: negated))
        }
    }

    // MARK: matching

    /// All non-overlapping matches as byte ranges, iterated as the `onig` crate's `find_iter` does
    /// (an empty match right after the previous match is skipped by advancing one character).
    public func matches(in text: UnsafeBufferPointer<UInt8>) throws -> [Range<Int>] {
        var out: [Range<Int>] = []
        try forEachMatch(in: text) { out.append($0) }
        return out
    }

    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) throws {
        if let literal {
            forEachLiteralMatch(literal, in: text, body)
            return
        }
        var vm = RegexVM(ops: ops, text: text, lineAnchored: lineAnchored)
        var lastEnd = 0
        var lastMatchEnd = -1
        let n = text.count
        while lastEnd <= n {
            guard let (s, e) = vm.search(from: lastEnd) else { break }
            if vm.budgetExceeded { throw TokenizerError.regex(pattern: pattern, reason: "matching took too many steps") }
            if e == s && lastMatchEnd == e {
                lastEnd += lastEnd < n ? utf8Length(text[lastEnd]) : 1
                continue
            }
            lastEnd = e
            lastMatchEnd = e
            body(s..<e)
        }
        if vm.budgetExceeded { throw TokenizerError.regex(pattern: pattern, reason: "matching took too many steps") }
    }

    private func forEachLiteralMatch(_ lit: [UInt8], in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let n = text.count, m = lit.count
        guard m <= n else { return }
        let first = lit[0]
        var i = 0
        while i + m <= n {
            if text[i] == first {
                var k = 1
                while k < m && text[i + k] == lit[k] { k += 1 }
                if k == m { body(i..<(i + m)); i += m; continue }
            }
            i += 1
        }
    }
}

@inline(__always) func utf8Length(_ lead: UInt8) -> Int {
    if lead < 0x80 { return 1 }
    if lead < 0xE0 { return 2 }
    if lead < 0xF0 { return 3 }
    return 4
}

/// Decodes the scalar starting at `i` of valid UTF-8.
@inline(__always) func decodeScalar(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
    let b0 = UInt32(t[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(t[i + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
        return ((b0 & 0x0F) << 12 | UInt32(t[i + 1] & 0x3F) << 6 | UInt32(t[i + 2] & 0x3F), 3)
    }
    return ((b0 & 0x07) << 18 | UInt32(t[i + 1] & 0x3F) << 12 | UInt32(t[i + 2] & 0x3F) << 6 | UInt32(t[i + 3] & 0x3F), 4)
}

/// The backtracking machine: an explicit stack of (pc, position) alternatives.
struct RegexVM {
    let ops: [OnigRegex.Op]
    let text: UnsafeBufferPointer<UInt8>
    var stack: [Int] = []
    var steps = 0
    var budgetExceeded = false

    let lineAnchored: Bool

    init(ops: [OnigRegex.Op], text: UnsafeBufferPointer<UInt8>, lineAnchored: Bool) {
        self.ops = ops
        self.text = text
        self.lineAnchored = lineAnchored
        stack.reserveCapacity(64)
    }

    mutating func search(from start: Int) -> (Int, Int)? {
        var s = start
        let n = text.count
        while s <= n {
            if lineAnchored && s > 0 && text[s - 1] != 0x0A {
                // Jump to just after the next newline (or give up).
                var j = s
                while j < n && text[j] != 0x0A { j += 1 }
                if j >= n { return nil }
                s = j + 1
            }
            let e = run(pc: 0, pos: s)
            if budgetExceeded { return nil }
            if e >= 0 { return (s, e) }
            if s == n { break }
            s += utf8Length(text[s])
        }
        return nil
    }

    private func isWordAt(_ i: Int) -> Bool {
        guard i >= 0 && i < text.count else { return false }
        return UnicodeClasses.isWord(decodeScalar(text, i).0)
    }

    private func previousStart(_ i: Int) -> Int {
        var j = i - 1
        while j > 0 && text[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    /// Runs the program from `pc` at `pos`; returns the end position of the first match or -1.
    mutating func run(pc startPC: Int, pos startPos: Int) -> Int {
        let base = stack.count
        var pc = startPC, pos = startPos
        let n = text.count
        defer { stack.removeSubrange(base...) }
        while true {
            steps += 1
            if steps > OnigRegex.stepBudget { budgetExceeded = true; return -1 }
            var ok = true
            switch ops[pc] {
            case .scalar(let v):
                if pos < n {
                    let (c, len) = decodeScalar(text, pos)
                    if c == v { pos += len; pc += 1 } else { ok = false }
                } else { ok = false }
            case .charClass(let cls):
                if pos < n {
                    let (c, len) = decodeScalar(text, pos)
                    if cls.matches(c) { pos += len; pc += 1 } else { ok = false }
                } else { ok = false }
            case .any(let dotAll):
                if pos < n && (dotAll || text[pos] != 0x0A) { pos += utf8Length(text[pos]); pc += 1 } else { ok = false }
            case .split(let a, let b):
                stack.append(b); stack.append(pos)
                pc = a
            case .jump(let t): pc = t
            case .lineStart:
                // Oniguruma: not at the very end, even after a final newline.
                if pos == 0 || (text[pos - 1] == 0x0A && pos < n) { pc += 1 } else { ok = false }
            case .lineEnd:
                if pos == n || text[pos] == 0x0A { pc += 1 } else { ok = false }
            case .textStart:
                if pos == 0 { pc += 1 } else { ok = false }
            case .textEnd:
                if pos == n { pc += 1 } else { ok = false }
            case .textEndBeforeNewline:
                if pos == n || (pos == n - 1 && text[pos] == 0x0A) { pc += 1 } else { ok = false }
            case .wordBoundary(let negated):
                let before = pos > 0 && isWordAt(previousStart(pos))
                let after = isWordAt(pos)
                if (before != after) != negated { pc += 1 } else { ok = false }
            case .lookahead(let sub, let negated):
                let hit = run(pc: sub, pos: pos) >= 0
                if budgetExceeded { return -1 }
                if hit != negated { pc += 1 } else { ok = false }
            case .lookbehind(let alts, let negated):
                var hit = false
                for alt in alts {
                    var s = pos
                    var k = 0
                    while k < alt.length && s > 0 { s = previousStart(s); k += 1 }
                    if k == alt.length && run(pc: alt.pc, pos: s) == pos { hit = true; break }
                    if budgetExceeded { return -1 }
                }
                if hit != negated { pc += 1 } else { ok = false }
            case .match:
                return pos
            }
            if !ok {
                if stack.count <= base { return -1 }
                pos = stack.removeLast()
                pc = stack.removeLast()
            }
        }
    }
}
