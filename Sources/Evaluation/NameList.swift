import Foundation

/// `--datasets`, `--categories`, `--metrics`: names, comma-separated, each trimmed of surrounding spaces.
public struct NameList: Sendable, Equatable {
    public var names: [String]

    public init(parsing text: String) {
        names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
