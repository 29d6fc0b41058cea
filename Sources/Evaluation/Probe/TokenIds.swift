import Foundation

/// `--ids 1,2,3` (spaces allowed): the token ids `kasane generate` and `kasane forward` take.
public struct TokenIds: Sendable, Equatable {
    public var values: [Int]

    public init(parsing text: String) throws {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        values = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 0 }
        guard !values.isEmpty, values.count == parts.count else {
            throw EvaluationError.invalidOption(option: "--ids", value: text, expected: "comma-separated token ids ≥ 0")
        }
    }
}
