// swift-tools-version:6.0
import PackageDescription

// Hot loops are compiled with -Ounchecked in release builds (tests and benchmarks run release).
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "Kasane",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kasane", targets: ["kasane"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "pkg-config"])]),
        .systemLibrary(name: "CMeCab", providers: [.apt(["libmecab-dev", "mecab-ipadic-utf8"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Linalg", dependencies: ["COpenBLAS"], swiftSettings: fast),
        .target(name: "SafeTensors", dependencies: ["Linalg"], swiftSettings: fast),
        .target(name: "Tokenizers", swiftSettings: fast),
        .target(name: "Llama", dependencies: ["Linalg", "SafeTensors"], swiftSettings: fast),
        .target(name: "Evaluation", dependencies: ["Llama", "Tokenizers", "CMeCab"], swiftSettings: fast),
        .target(name: "Trajectory", dependencies: ["Evaluation", "CSQLite"], swiftSettings: fast),
        .target(name: "TinyWorld", dependencies: ["COpenBLAS", "Linalg", "SafeTensors", "Llama", "Tokenizers", "Evaluation"], swiftSettings: fast),
        .executableTarget(name: "kasane", dependencies: [
            "Linalg", "SafeTensors", "Tokenizers", "Llama", "Evaluation", "Trajectory", "TinyWorld",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fast),
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors"], exclude: ["Fixtures"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers"]),
        .testTarget(name: "LlamaTests", dependencies: ["Llama", "SafeTensors"], exclude: ["Fixtures"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"], exclude: ["Fixtures"]),
        .testTarget(name: "TrajectoryTests", dependencies: ["Trajectory", "CSQLite", "SafeTensors", "Evaluation"]),
        .testTarget(name: "TinyWorldTests", dependencies: ["TinyWorld", "Tokenizers"]),
    ]
)
