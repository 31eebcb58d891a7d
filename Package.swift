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
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
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
        .target(name: "Broker", dependencies: ["SluiceCore", "LogStorage"], swiftSettings: strict),
        .target(
            name: "PGWire",
            dependencies: ["SluiceCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore", "LogStorage", "Broker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // MARK: - Tests
        // No warnings-as-errors here: Swift Testing's macro expansions emit warnings on Swift 6.3.
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .testTarget(name: "LogStorageTests", dependencies: ["LogStorage", "SluiceCore"]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "LogStorage", "SluiceCore"]),
        .testTarget(
            name: "PGWireTests",
            dependencies: [
                "PGWire", "SluiceCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            exclude: ["Clients"]),
        // End-to-end tests of the built `sluice` binary (the dependency makes `swift build --build-tests` build it).
        .testTarget(name: "SluiceCLITests", dependencies: ["sluice", "LogStorage", "SluiceCore"]),
    ]
)
