// swift-tools-version:6.0
import PackageDescription

// Only the numeric kernels (matrix, attention and training loops over buffers whose sizes are checked once at the
// boundary) are compiled with -Ounchecked in release builds. Parsers of untrusted files (JSON, safetensors,
// tokenizer.json, the store) keep their bounds checks and preconditions even in the release build the tests run.
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "Kasane",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kasane", targets: ["kasane"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "pkg-config"])]),
        .systemLibrary(name: "CMeCab", providers: [.apt(["libmecab-dev", "mecab-ipadic-utf8"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "JSON"),
        // Kernels that need per-function target attributes (AVX2/FMA/F16C chosen at run time) and glibc's CPU masks.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Linalg", dependencies: ["COpenBLAS", "CKernels", "JSON"], swiftSettings: fast),
        .target(name: "SafeTensors", dependencies: ["JSON", "Linalg"]),
        .target(name: "Tokenizers", dependencies: ["JSON"]),
        .target(name: "Llama", dependencies: ["JSON", "Linalg", "SafeTensors"], swiftSettings: fast),
        .target(name: "Evaluation", dependencies: ["CMeCab", "JSON", "Linalg", "Llama", "Tokenizers",
                                                 .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Trajectory", dependencies: ["CSQLite", "Comet", "Evaluation", "JSON", "Linalg", "Llama", "SafeTensors", "Tokenizers"]),
        // Reads torch.save zip checkpoints through an unpickler that never runs code.
        .target(name: "TorchCheckpoint", dependencies: ["Linalg"]),
        .target(name: "Comet", dependencies: ["JSON", "Linalg", "TorchCheckpoint", "Tokenizers"]),
        .target(name: "TinyWorld", dependencies: ["JSON", "Linalg", "SafeTensors", "Tokenizers"], swiftSettings: fast),
        .executableTarget(name: "kasane", dependencies: [
            "Evaluation", "JSON", "Linalg", "Llama", "SafeTensors", "TinyWorld", "Tokenizers", "Trajectory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // One-line-error assertions shared by the bad-input tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TokenizersTests", dependencies: ["JSON", "Tokenizers"], exclude: ["Fixtures"]),
        .testTarget(name: "LlamaTests", dependencies: ["JSON", "Llama", "SafeTensors"], exclude: ["Fixtures"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "JSON", "Llama", "SafeTensors", "Tokenizers"], exclude: ["Fixtures"]),
        .testTarget(name: "TrajectoryTests", dependencies: ["CSQLite", "Evaluation", "JSON", "Linalg", "Llama", "SafeTensors", "Trajectory"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "TorchCheckpointTests", dependencies: ["TestSupport", "TorchCheckpoint"], exclude: ["Fixtures"]),
        .testTarget(name: "CometTests", dependencies: ["Comet", "Linalg", "TestSupport", "TorchCheckpoint"], exclude: ["Fixtures"]),
        .testTarget(name: "TinyWorldTests", dependencies: ["JSON", "Linalg", "Llama", "SafeTensors", "TinyWorld", "Tokenizers"],
                    exclude: ["Fixtures"]),
    ]
)
