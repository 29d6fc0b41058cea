import Foundation

/// `--windows 1,2,5,10,20`: the window sizes to compare, each ≥ 1 (1 stands for the raw checkpoints), sorted and
/// without repeats. Parsed when the command line is, so `kasane slurm --ensemble-window` fails before submitting.
public struct WindowSizes: Sendable, Equatable, CustomStringConvertible {
    public let sizes: [Int]

    public init(_ sizes: [Int]) { self.sizes = Array(Set(sizes)).sorted() }

    public init(parsing text: String) throws {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Int($0) }
        guard !values.isEmpty, values.count == parts.count, values.allSatisfy({ $0 >= 1 }) else {
            throw TrajectoryError.invalidOption(option: "--windows", value: text,
                                                expected: "a comma-separated list of sizes ≥ 1")
        }
        self.init(values)
    }

    /// As the options take it again.
    public var description: String { sizes.map(String.init).joined(separator: ",") }
}
