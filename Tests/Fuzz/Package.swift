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

let fuzzTargets = ["FuzzMQTTSN", "FuzzMQTT", "FuzzCoAPMapping", "FuzzTopicFilter", "FuzzConfig", "FuzzGPIOCommand"]

let package = Package(
    name: "perch-fuzz",
    products: fuzzTargets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(name: "perch", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: fuzzTargets.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                .product(name: "PerchParsers", package: "perch"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    }
)
