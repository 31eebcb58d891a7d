// swift-tools-version:6.2
// The target dependencies below are Sluice's layering spec (../shared/DESIGN.md, "Layers"):
// a module imports only modules below it. Build with
// `--explicit-target-dependency-import-check error` (the Makefile does) to enforce it.
import PackageDescription

// Every Sluice target: warnings are errors. Release builds drop the run-time exclusivity checks (swift_beginAccess
// on every access to a class's stored property or a global): on the PostgreSQL-wire path they cost about a tenth
// of the server's CPU per pgbench transaction (bench/pgbench-vs-postgres.sh). Debug builds, which every test
// runs, keep them, so an overlapping access is still caught there.
let settings: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
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
        // Test-only: the postgres-nio client drives the server in SluiceCLITests (issue 5's client list).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // MARK: - C libraries
        // Debian's liblz4-dev. Kafka's LZ4 codec is the LZ4 frame format.
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        // CRC-32C with the SSE4.2 / ARMv8 CRC instruction and a slicing-by-8 fallback. A C target because Swift
        // has no per-function target features, so it cannot call the instruction behind a run-time CPU check.
        .target(name: "CCRC32C"),
        // Debian's librocksdb-dev; only StateStore imports it.
        .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb", providers: [.apt(["librocksdb-dev"])]),
        // Debian's libreadline-dev and libpq-dev; only Shell imports them. No pkgConfig for readline: its .pc adds
        // -D flags SwiftPM prohibits (../shared/reference/swift-clibs.md).
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // MARK: - Layers
        .target(name: "SluiceCore", dependencies: ["CCRC32C"], swiftSettings: settings),
        .target(name: "LogStorage", dependencies: ["SluiceCore", "CLZ4"], exclude: ["README.md"], swiftSettings: settings),
        .target(
            name: "Broker",
            dependencies: ["SluiceCore", "LogStorage", "KafkaWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: settings),
        .target(name: "StateStore", dependencies: ["SluiceCore", "CRocksDB"], swiftSettings: settings),
        .target(name: "Relational", dependencies: ["SluiceCore"], swiftSettings: settings),
        // The Nexmark benchmark's deterministic event generator (sluice nexmark, and the Nexmark query tests).
        .target(name: "Nexmark", dependencies: ["SluiceCore"], swiftSettings: settings),
        .target(name: "PGCatalog", exclude: ["README.md"], swiftSettings: settings),
        .target(name: "SQLSyntax", dependencies: ["SluiceCore"], swiftSettings: settings),
        .target(name: "Streams", dependencies: ["SluiceCore", "Relational", "StateStore", "Broker"], exclude: ["README.md"], swiftSettings: settings),
        .target(
            name: "SQLPlanner", dependencies: ["SluiceCore", "Relational", "SQLSyntax", "Streams"], exclude: ["README.md"],
            swiftSettings: settings),
        .target(
            name: "PGWire",
            dependencies: ["SluiceCore", .product(name: "NIOCore", package: "swift-nio")],
            exclude: ["README.md"],
            swiftSettings: settings),
        .target(
            name: "KafkaWire",
            dependencies: ["SluiceCore", .product(name: "NIOCore", package: "swift-nio")],
            exclude: ["README.md"],
            swiftSettings: settings),
        .target(
            name: "SQLEngine",
            dependencies: ["SluiceCore", "Relational", "StateStore", "Streams", "SQLSyntax", "SQLPlanner", "Broker", "LogStorage"],
            swiftSettings: settings),
        .target(
            name: "Server",
            dependencies: [
                "SluiceCore", "LogStorage", "Broker", "StateStore", "Relational", "Streams", "SQLSyntax", "SQLPlanner", "SQLEngine", "PGWire",
                "KafkaWire", "PGCatalog",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: settings),
        .target(
            name: "Shell", dependencies: ["SluiceCore", "SQLSyntax", "CReadline", "CLibPQ"], exclude: ["README.md"],
            swiftSettings: settings),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore", "LogStorage", "Broker", "SQLSyntax", "SQLPlanner", "Server", "PGWire", "SQLEngine", "Streams", "StateStore",
                "Relational", "Nexmark", "Shell",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `sluice bench pgwire` drives the server's PG-wire pipeline on an EmbeddedChannel.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: settings),

        // MARK: - Tests
        // No warnings-as-errors here: Swift Testing's macro expansions emit warnings on Swift 6.3.
        // Helpers shared by the test targets (temporary directories); never linked into the product.
        .target(name: "SluiceTestSupport", dependencies: ["SluiceCore"], path: "Tests/SluiceTestSupport"),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceTestSupport"]),
        .testTarget(name: "LogStorageTests", dependencies: ["LogStorage", "SluiceCore", "SluiceTestSupport"]),
        .testTarget(
            name: "BrokerTests",
            dependencies: ["Broker", "KafkaWire", "LogStorage", "SluiceCore", "SluiceTestSupport", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "StateStoreTests", dependencies: ["StateStore", "SluiceCore", "SluiceTestSupport"]),
        .testTarget(name: "RelationalTests", dependencies: ["Relational", "SluiceCore"]),
        .testTarget(name: "SQLSyntaxTests", dependencies: ["SQLSyntax", "SluiceCore"], exclude: ["Golden"]),
        .testTarget(
            name: "StreamsTests",
            dependencies: ["Streams", "Relational", "SQLPlanner", "SQLSyntax", "Broker", "LogStorage", "StateStore", "SluiceCore", "SluiceTestSupport"]),
        .testTarget(
            name: "SQLEngineTests",
            dependencies: ["SQLEngine", "Broker", "LogStorage", "Relational", "StateStore", "Streams", "SluiceCore", "SluiceTestSupport", "Nexmark"],
            exclude: ["Nexmark"]),
        .testTarget(name: "SQLPlannerTests", dependencies: ["SQLPlanner", "SQLSyntax", "Relational", "Streams"], exclude: ["Golden"]),
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
        .testTarget(
            name: "KafkaWireTests",
            dependencies: [
                "KafkaWire", "SluiceCore", "SluiceTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "SQLSyntax"]),
        .testTarget(name: "PGCatalogTests", dependencies: ["PGCatalog", "SluiceCore", "SluiceTestSupport"], exclude: ["Fixtures"]),
        // End-to-end tests of the built `sluice` binary (the dependency makes `swift build --build-tests` build it).
        .testTarget(
            name: "SluiceCLITests",
            dependencies: ["sluice", "LogStorage", "SluiceCore", "SluiceTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")],
            exclude: ["Clients"]),
    ]
)
