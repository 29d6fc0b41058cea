import Testing

/// Bad input must fail with one line naming what is wrong: asserts `body` throws, the message is one line, and it
/// contains every fragment (the file, the field...).
public func expectError(_ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("no error thrown; expected \(fragments)", sourceLocation: sourceLocation)
    } catch {
        let message = "\(error)"
        #expect(!message.contains("\n"), "not one line: \(message)", sourceLocation: sourceLocation)
        for f in fragments { #expect(message.contains(f), "'\(f)' not in: \(message)", sourceLocation: sourceLocation) }
    }
}
