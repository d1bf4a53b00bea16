import Foundation

/// Locates the `perchd` executable that `swift build` put next to the test bundle.
public enum PerchdBinary {
    /// The path of the built `perchd`; set `PERCHD_BINARY` to override.
    public static func url() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [URL] = []
        if let override = environment["PERCHD_BINARY"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        // The test runner (e.g. `.build/debug/perchPackageTests.xctest`) lives in
        // the same directory as the products it was built with.
        var directories: [URL] = []
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        if let executable = Bundle.main.executableURL {
            directories.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for directory in directories {
            candidates.append(directory.appendingPathComponent("perchd"))
            // On macOS the runner sits inside `X.xctest/Contents/MacOS/`.
            candidates.append(directory.appendingPathComponent("../../../perchd").standardizedFileURL)
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw TestKitError.perchdNotBuilt(searched: candidates.map(\.path))
    }
}
