import Foundation
import PerchTestKit
import Testing

/// `perchd check` and `perchd --version` as a user types them (SPEC §8).
@Suite("perchd command line")
struct PerchdCommandLineTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ arguments: [String]) async throws -> (PerchTestKit.ExitStatus, String) {
        let process = try ChildProcess.start(try PerchdBinary.url().path, arguments: arguments)
        let status = try await process.waitForExit(timeout: .seconds(30))
        return (status, process.outputText)
    }

    @Test("perchd --version prints the version")
    func version() async throws {
        let (status, output) = try await Self.run(["--version"])
        #expect(status == .exited(0))
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test("perchd check prints the effective configuration of the sample file")
    func checkSample() async throws {
        let sample = Self.repositoryRoot.appendingPathComponent("etc/perch.yaml").path
        let (status, output) = try await Self.run(["check", "--config", sample])
        #expect(status == .exited(0), "\(output)")
        #expect(output.contains("uplink:"))
        #expect(output.contains("commit_interval: 100ms"))
        #expect(output.contains("status:"))
    }

    @Test("perchd check names key, line and column of every error and exits 78 (EX_CONFIG)")
    func checkBadFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("uplink:\n  url: mqtt://broker\n  keepalive: soon\nspool:\n  overflow: panic\n", to: "bad.yaml")
        let (status, output) = try await Self.run(["check", "--config", path])
        #expect(status == .exited(78))
        #expect(output.contains("error: \(path):3:14: uplink.keepalive:"), "\(output)")
        #expect(output.contains("error: \(path):5:13: spool.overflow:"), "\(output)")
        #expect(!output.contains("gateway:"))
    }

    @Test("perchd refuses to start on an invalid file, with the same messages")
    func runBadFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("uplink:\n  url: ftp://broker\n", to: "bad.yaml")
        let (status, output) = try await Self.run(["--config", path])
        #expect(status == .exited(78))
        #expect(output.contains("error: \(path):2:8: uplink.url:"), "\(output)")
    }

    @Test("a secret file readable by others is warned about")
    func worldReadableSecret() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let secret = try directory.write("s3cret\n", to: "uplink.password")
        chmod(secret, 0o644)
        let path = try directory.write("uplink:\n  url: mqtt://broker\n  username: u\n  password_file: \(secret)\n", to: "perch.yaml")
        let (status, output) = try await Self.run(["check", "--config", path])
        #expect(status == .exited(0))
        #expect(output.contains("warning:") && output.contains("uplink.password_file"), "\(output)")
        #expect(!output.contains("s3cret"))
    }
}
