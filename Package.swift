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
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        // Kernels that need per-function target attributes (AVX2/FMA/F16C chosen at run time) and glibc's CPU masks.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Linalg", dependencies: ["COpenBLAS", "CKernels"], swiftSettings: fast),
        .target(name: "SafeTensors", dependencies: ["Linalg"], swiftSettings: fast),
        .target(name: "Tokenizers", swiftSettings: fast),
        .target(name: "Llama", dependencies: ["Linalg", "SafeTensors"], swiftSettings: fast),
        .target(name: "Evaluation", dependencies: ["Llama", "Tokenizers"], swiftSettings: fast),
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
