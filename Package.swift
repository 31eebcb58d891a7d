// swift-tools-version:6.2
// The target dependencies below are Sluice's layering spec (../shared/DESIGN.md, "Layers"):
// a module imports only modules below it. Build with
// `--explicit-target-dependency-import-check error` (the Makefile does) to enforce it.
import PackageDescription

let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - C libraries
        // Debian's liblz4-dev. Kafka's LZ4 codec is the LZ4 frame format.
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        // CRC-32C with the SSE4.2 / ARMv8 CRC instruction and a slicing-by-8 fallback. A C target because Swift
        // has no per-function target features, so it cannot call the instruction behind a run-time CPU check.
        .target(name: "CCRC32C"),

        // MARK: - Layers
        .target(name: "SluiceCore", dependencies: ["CCRC32C"], swiftSettings: strict),
        .target(name: "LogStorage", dependencies: ["SluiceCore", "CLZ4"], swiftSettings: strict),
        .target(name: "Relational", dependencies: ["SluiceCore"], swiftSettings: strict),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore", "LogStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // MARK: - Tests
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"], swiftSettings: strict),
        .testTarget(name: "LogStorageTests", dependencies: ["LogStorage", "SluiceCore", "sluice"], swiftSettings: strict),
        .testTarget(name: "RelationalTests", dependencies: ["Relational", "SluiceCore"], swiftSettings: strict),
    ]
)
