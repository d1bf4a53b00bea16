import Foundation
import Logging
import PerchTestKit
import Testing

@Suite("TestKit: ChildProcess, FreePort, TemporaryDirectory, InMemoryLogHandler, ReceivedMessage")
struct TestKitSupportTests {
    @Test("waitForLine sees lines from both streams and waitForExit reports the exit code")
    func childProcessLinesAndExit() async throws {
        let child = try ChildProcess.start(
            "/bin/sh", arguments: ["-c", "echo out-line; echo err-line >&2; printf 'no newline'; exit 3"])
        #expect(try await child.waitForLine(containing: "err-", timeout: .seconds(5)) == "err-line")
        #expect(try await child.waitForExit(timeout: .seconds(5)) == .exited(3))
        #expect(child.lines.contains(OutputLine(stream: .standardOutput, text: "out-line")))
        #expect(child.lines.contains(OutputLine(stream: .standardOutput, text: "no newline")))
        #expect(!child.isRunning)
    }

    @Test("the environment is passed, and removed variables are gone")
    func childProcessEnvironment() async throws {
        let child = try ChildProcess.start(
            "/bin/sh", arguments: ["-c", "echo \"A=$PERCH_A B=${HOME:-unset}\""],
            environment: ["PERCH_A": "1"], removingEnvironment: ["HOME"])
        #expect(try await child.waitForLine(containing: "A=", timeout: .seconds(5)) == "A=1 B=unset")
    }

    @Test("a line that never comes fails early when the process ends, and by timeout while it runs")
    func childProcessFailures() async throws {
        let quick = try ChildProcess.start("/bin/sh", arguments: ["-c", "echo bye"])
        let ended = await thrownError(TestKitError.self) {
            try await quick.waitForLine(containing: "never", timeout: .seconds(30))
        }
        guard case .processEnded? = ended else {
            Issue.record("expected .processEnded, got \(String(describing: ended))")
            return
        }

        let sleeper = try ChildProcess.start("/bin/sleep", arguments: ["30"])
        let timedOut = await thrownError(TestKitError.self) {
            try await sleeper.waitForLine(containing: "never", timeout: .milliseconds(200))
        }
        guard case .timedOut? = timedOut else {
            Issue.record("expected .timedOut, got \(String(describing: timedOut))")
            return
        }
        #expect(sleeper.isRunning)
        #expect(try await sleeper.stop(gracePeriod: .seconds(5)) == .signalled(SIGTERM))
    }

    @Test("kill ends a process that ignores SIGTERM")
    func childProcessKill() async throws {
        let stubborn = try ChildProcess.start(
            "/bin/sh", arguments: ["-c", "trap '' TERM; echo ready; while :; do sleep 1; done"])
        try await stubborn.waitForLine(containing: "ready", timeout: .seconds(5))
        stubborn.terminate()
        stubborn.kill()
        #expect(try await stubborn.waitForExit(timeout: .seconds(5)) == .signalled(SIGKILL))
    }

    @Test("a missing executable is a launch error")
    func childProcessMissing() {
        #expect(throws: TestKitError.self) {
            _ = try ChildProcess.start("/nonexistent/perch-binary")
        }
    }

    @Test("PerchdBinary finds the perchd built next to the test runner")
    func perchdBinary() throws {
        let url = try PerchdBinary.url()
        #expect(url.lastPathComponent == "perchd")
        #expect(FileManager.default.isExecutableFile(atPath: url.path))
    }

    @Test("FreePort gives distinct, non-privileged ports")
    func freePort() throws {
        let ports = try (0..<5).map { _ in try FreePort.make() }
        #expect(ports.allSatisfy { $0 > 1023 && $0 < 65536 })
    }

    @Test("TemporaryDirectory is private and removed")
    func temporaryDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "perch-selftest")
        let file = try directory.write("x", to: "f.txt")
        #expect(FileManager.default.fileExists(atPath: file))
        let mode = try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        directory.remove()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test("InMemoryLogHandler records level, message and merged metadata")
    func inMemoryLogs() async throws {
        let store = InMemoryLogStore()
        var logger = store.makeLogger(label: "test", level: .info)
        logger[metadataKey: "gateway"] = "pi"
        logger.debug("hidden")
        logger.warning("careful", metadata: ["n": "1"])
        let entry = try await store.waitForEntry(timeout: .seconds(1)) { $0.level == .warning }
        #expect(entry.message == "careful")
        #expect(entry.metadata == ["gateway": "pi", "n": "1"])
        #expect(entry.label == "test")
        #expect(store.entries.count == 1)
        #expect(store.entries(containing: "hidden").isEmpty)
    }

    @Test("ReceivedMessage parses mosquitto_sub's format, binary payloads and topics with spaces")
    func receivedMessageParsing() throws {
        let message = try #require(try ReceivedMessage(subscriberLine: "MSG 1 2 00ff41 a b/c"))
        #expect(message == ReceivedMessage(topic: "a b/c", payload: [0, 255, 65], qos: 2, isRetained: true))
        let empty = try #require(try ReceivedMessage(subscriberLine: "MSG 0 0  t"))
        #expect(empty.payload.isEmpty)
        #expect(try ReceivedMessage(subscriberLine: "Client (null) received SUBACK") == nil)
        #expect(throws: TestKitError.self) { _ = try ReceivedMessage(subscriberLine: "MSG 0 0 0g t") }
    }
}
