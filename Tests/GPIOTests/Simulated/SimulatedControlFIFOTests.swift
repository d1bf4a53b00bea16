import GPIO
import Glibc
import Logging
import PerchCore
import PerchTestKit
import Testing

@Suite("SimulatedChip: inputs driven from outside through the control FIFO")
struct SimulatedControlFIFOTests {
    let logs = InMemoryLogStore()

    /// Writes `text` to the FIFO the way `echo … > fifo` does: open, write, close.
    static func write(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw TestKitError.system(operation: "open \(path)", errno: errno) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw TestKitError.system(operation: "write", errno: errno) }
    }

    static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT
    }

    static func permissions(_ path: String) -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o777
    }

    @Test("the FIFO is made with mode 0660, named in info.path, and removed by close()")
    func lifecycle() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("gpio-simulated")
        let chip = try SimulatedChip(controlPath: path, logger: logs.makeLogger(label: "gpio"))
        #expect(chip.info.path == path)
        #expect(Self.fileType(path) == S_IFIFO)
        #expect(Self.permissions(path) == 0o660)
        chip.close()
        #expect(Self.fileType(path) == nil)
        chip.close()  // idempotent
    }

    @Test("the FIFO goes away when the chip does")
    func removedOnDeinit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("gpio-simulated")
        do {
            let chip = try SimulatedChip(controlPath: path, logger: logs.makeLogger(label: "gpio"))
            #expect(chip.level(offset: 0) == false)
        }
        #expect(Self.fileType(path) == nil)
    }

    @Test("lines written from outside drive inputs, by name or offset, 1/0/high/low in any case")
    func drivesInputs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("gpio-simulated")
        let chip = try SimulatedChip(controlPath: path, logger: logs.makeLogger(label: "gpio"))
        defer { chip.close() }
        let edges = EdgeRecorder()
        let door = try chip.requestInput(
            GPIOLineRequest(offset: 27, consumer: "perch:door", activeLow: false), bias: .pullUp, onEdge: edges.onEdge)

        try Self.write("GPIO27 0\n", to: path)
        try await edges.wait(forCount: 1)
        #expect(try door.isActive() == false)

        // Two writers one after the other, one of them in pieces: the FIFO never sees EOF.
        try Self.write("27 Hi", to: path)
        try Self.write("GH\n", to: path)
        try await edges.wait(forCount: 2)
        #expect(try door.isActive() == true)

        try Self.write("gpio27 LOW\n27 1\n", to: path)
        try await edges.wait(forCount: 4)
        #expect(chip.level(offset: 27) == true)
    }

    @Test("another process drives an input with the documented echo into the FIFO")
    func shellEcho() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("gpio-simulated")
        let chip = try SimulatedChip(controlPath: path, logger: logs.makeLogger(label: "gpio"))
        defer { chip.close() }
        let edges = EdgeRecorder()
        let door = try chip.requestInput(
            GPIOLineRequest(offset: 27, consumer: "perch:door", activeLow: true), bias: .pullUp, onEdge: edges.onEdge)
        #expect(try door.isActive() == false)

        let shell = try ChildProcess.start("/bin/sh", arguments: ["-c", "echo 'GPIO27 0' > \"$1\"", "sh", path])
        #expect(try await shell.waitForExit(timeout: .seconds(10)) == .exited(0))
        try await edges.wait(forCount: 1)
        #expect(try door.isActive() == true)
        #expect(logs.entries(containing: "simulated GPIO27 (perch:door) driven low").count == 1)
    }

    @Test("bad lines are logged at warning and ignored; the next good line still works")
    func badLines() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("gpio-simulated")
        let chip = try SimulatedChip(controlPath: path, logger: logs.makeLogger(label: "gpio"))
        defer { chip.close() }
        let edges = EdgeRecorder()
        _ = try chip.requestInput(GPIOLineRequest(offset: 3, consumer: "perch:x", activeLow: false), bias: .pullDown, onEdge: edges.onEdge)

        try Self.write("GPIO99 1\nGPIO3 maybe\nnonsense\n\nGPIO3 1\n", to: path)
        try await edges.wait(forCount: 1)
        let warnings = logs.entries.filter { $0.level == .warning }
        #expect(warnings.count == 3)
        #expect(warnings.contains { $0.message.contains("no line GPIO99") })
        #expect(warnings.contains { $0.message.contains("maybe") })
        #expect(warnings.allSatisfy { $0.metadata["path"] == "\(path)" })
        #expect(chip.level(offset: 3) == true)
    }

    @Test("a FIFO left by an earlier run is replaced")
    func staleFIFO() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("gpio-simulated")
        #expect(mkfifo(path, 0o600) == 0)
        let chip = try SimulatedChip(controlPath: path, logger: logs.makeLogger(label: "gpio"))
        defer { chip.close() }
        #expect(Self.fileType(path) == S_IFIFO)
        #expect(Self.permissions(path) == 0o660)
    }

    @Test("a file that is not a FIFO is never replaced: a clear error naming it")
    func fileInTheWay() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("somebody's notes\n", to: "gpio-simulated")
        let error = thrownError(GPIOError.self) {
            _ = try SimulatedChip(controlPath: path, logger: logs.makeLogger(label: "gpio"))
        }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("not a FIFO") == true)
        #expect(Self.fileType(path) == S_IFREG)
        #expect(logs.entries.contains { $0.level == .error })
    }

    @Test("a directory that does not exist is an error naming the path")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("absent/gpio-simulated")
        let error = thrownError(GPIOError.self) {
            _ = try SimulatedChip(controlPath: path, logger: logs.makeLogger(label: "gpio"))
        }
        #expect(error?.errno == ENOENT)
        #expect(error?.description.contains(path) == true)
    }
}
