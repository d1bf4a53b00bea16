// swift-tools-version:6.0
//
// Perch — a field gateway for MQTT-SN and CoAP sensors, one MQTT/TLS uplink.
//
// Dependencies point inward only (Docs/architecture.md):
//   perchd → PerchDaemon → adapters (Uplink, …) → PerchCore → codecs (MQTTCodec, …)
// No adapter imports another adapter.

import PackageDescription

let package = Package(
    name: "perch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "perchd", targets: ["perchd"]),
        .executable(name: "perch-bench", targets: ["perch-bench"]),
        // The parsers, for the libFuzzer package in Tests/Fuzz (`make fuzz`); not an API.
        .library(
            name: "PerchParsers",
            targets: ["MQTTCodec", "MQTTSNCodec", "PerchCore", "PerchConfig", "CoAPServer", "GPIO"]
        ),
    ],
    // Floors are the oldest releases Perch builds with, low enough for Debian 13's
    // own Swift 6.0.3 (its SwiftPM takes the newest release whose manifest it can
    // read: swift-nio 2.97, swift-nio-ssl 2.36, swift-log 1.11, …); a newer Swift
    // resolves the newest. Package.resolved is not tracked, so each toolchain
    // resolves its own (Docs/operations.md, "Building on Debian 13").
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.97.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.36.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.11.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    ],
    targets: [
        // MARK: Codecs — value types and pure encode/decode, no I/O.
        .target(
            name: "MQTTCodec",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "MQTTSNCodec",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),

        // MARK: Core — pure logic and the protocols adapters implement.
        .target(
            name: "PerchCore",
            dependencies: [
                "MQTTCodec",
                "MQTTSNCodec",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "PerchConfig",
            dependencies: [
                "PerchCore",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // MARK: Adapters.
        .target(
            name: "Uplink",
            dependencies: [
                "MQTTCodec",
                "PerchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .target(
            name: "MQTTSNServer",
            dependencies: [
                "MQTTCodec",
                "MQTTSNCodec",
                "PerchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // MARK: CoAP — libcoap3 behind a system-library target; only CoAPServer imports it.
        .systemLibrary(
            name: "CLibCoAP",
            pkgConfig: "libcoap-3-openssl",
            providers: [.apt(["libcoap3-dev"])]
        ),
        .target(
            name: "CoAPServer",
            dependencies: [
                "CLibCoAP",
                "MQTTCodec",
                "PerchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // MARK: GPIO — libgpiod 1.6 or 2.x (whichever pkg-config finds) behind a system-library
        // target and one version-neutral C API (CGPIOD, Docs/gpio.md); only GPIO imports it.
        .systemLibrary(
            name: "CLibGPIOD",
            pkgConfig: "libgpiod",
            providers: [.apt(["libgpiod-dev"])]
        ),
        .target(name: "CGPIOD", dependencies: ["CLibGPIOD"]),
        .target(
            name: "GPIO",
            dependencies: [
                "CGPIOD",
                "PerchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // MARK: Spool — store-and-forward between the listeners and the uplink (SPEC §5).
        .target(
            name: "Spool",
            dependencies: [
                "PerchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // MARK: Storage — the SQLite file in the state directory (client records, the spool's disk tier).
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "Storage",
            dependencies: [
                "CSQLite",
                "MQTTCodec",
                "PerchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Wiring — the only place that knows every part.
        .target(
            name: "PerchDaemon",
            dependencies: [
                "PerchCore",
                "PerchConfig",
                "Uplink",
                "MQTTSNServer",
                "CoAPServer",
                "GPIO",
                "Spool",
                "Storage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "perchd",
            dependencies: [
                "PerchDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Test support.
        .target(
            name: "PerchTestKit",
            dependencies: [
                "PerchCore",
                "MQTTSNCodec",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Benchmarks — `make bench`; release builds only give meaningful figures.
        .executableTarget(
            name: "perch-bench",
            dependencies: [
                "MQTTCodec",
                "MQTTSNCodec",
                "PerchCore",
                "Uplink",
                "Spool",
                "Storage",
                "PerchTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/PerchBench"
        ),

        // MARK: Tests — one target per module, plus end-to-end tests of perchd.
        .testTarget(
            name: "PerchBenchTests",
            dependencies: [
                "perch-bench",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MQTTCodecTests",
            dependencies: [
                "MQTTCodec",
                "PerchTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MQTTSNCodecTests",
            dependencies: [
                "MQTTSNCodec",
                "PerchTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PerchCoreTests",
            dependencies: [
                "PerchCore",
                "PerchTestKit",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "PerchConfigTests",
            dependencies: ["PerchConfig", "PerchCore", "PerchTestKit"],
            resources: [.copy("Corpus")]
        ),
        .testTarget(
            name: "UplinkTests",
            dependencies: [
                "Uplink",
                "PerchTestKit",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MQTTSNServerTests",
            dependencies: [
                "MQTTSNServer",
                "MQTTSNCodec",
                "Uplink",
                "Storage",
                "PerchTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "SpoolTests",
            dependencies: [
                "Spool",
                "MQTTCodec",
                "Storage",
                "PerchTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CoAPServerTests",
            dependencies: [
                "CoAPServer",
                "MQTTCodec",
                "PerchTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "GPIOTests",
            dependencies: [
                "GPIO",
                "PerchCore",
                "PerchTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage",
                "PerchTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PerchDaemonTests",
            dependencies: [
                "PerchDaemon",
                "PerchTestKit",
                "PerchConfig",
                "CoAPServer",
                "MQTTSNCodec",
                "MQTTCodec",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
