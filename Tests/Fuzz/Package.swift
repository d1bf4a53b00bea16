// swift-tools-version:6.0
//
// libFuzzer targets for Perch's parsers (issue 8, Docs/reliability.md).
//
// SwiftPM cannot build a fuzzer alongside ordinary executables, so the targets
// live in their own package, which uses Perch's parsers through the
// `PerchParsers` library product. Build and run them with `make fuzz`:
//
//   swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -enable-testing --disable-dead-strip
//
// `-enable-testing` lets a target `@testable import` an internal decision
// (the CoAP router); each file defines `LLVMFuzzerTestOneInput` and no `main`
// (`-parse-as-library`): libFuzzer brings its own.

import PackageDescription

let fuzzTargets = [
    "FuzzMQTTSN", "FuzzMQTT", "FuzzCoAPMapping", "FuzzCoAPExchanges", "FuzzTopicFilter", "FuzzConfig", "FuzzGPIOCommand",
]

// FuzzCoAPExchanges runs the CoAP engine itself: its fake upstream answers on
// a NIO event loop, and the engine wants a Logger.
let extraDependencies: [String: [Target.Dependency]] = [
    "FuzzCoAPExchanges": [
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
    ],
]

let package = Package(
    name: "perch-fuzz",
    products: fuzzTargets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(name: "perch", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: fuzzTargets.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                .product(name: "PerchParsers", package: "perch"),
                .product(name: "NIOCore", package: "swift-nio"),
            ] + (extraDependencies[name] ?? []),
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    }
)
