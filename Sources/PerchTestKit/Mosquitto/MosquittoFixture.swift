import Foundation

/// A real Mosquitto broker (Debian's `/usr/sbin/mosquitto`) on a free loopback port, for tests.
///
/// Everything lives in a private temporary directory: configuration, certificates,
/// password file, persistence and the broker's log (`logFile`, which records every
/// connection). Call `shutdown()` at the end of a test; if a test forgets, the
/// broker is killed when the fixture is released.
///
/// ```swift
/// let broker = try await MosquittoFixture.start(tls: .serverAuth)
/// let status = try await broker.startSubscription(topic: "perch/+/status")
/// // ... start perchd with broker.url and broker.certificates.caFile ...
/// let online = try await status.next(timeout: .seconds(5)) { $0.payloadString.contains("online") }
/// await broker.shutdown()
/// ```
public actor MosquittoFixture {
    /// How the listener is secured.
    public nonisolated let tls: MosquittoTLSMode
    /// Always 127.0.0.1.
    public nonisolated let host = "127.0.0.1"
    /// The TCP port; the same across `restart()`.
    public nonisolated let port: Int
    /// The run-time PKI; generated for every fixture, used by the broker in TLS modes.
    public nonisolated let certificates: TestCertificates
    /// The account required by the broker, if it was started with one.
    public nonisolated let credentials: MosquittoCredentials?
    /// The fixture's private directory.
    public nonisolated let directory: TemporaryDirectory
    /// The broker's log file (all `log_type`s, connections included), appended across restarts.
    public nonisolated let logFile: String

    private let executable: String
    private let configFile: String
    private var process: ChildProcess?

    /// `mqtt://127.0.0.1:PORT` or `mqtts://127.0.0.1:PORT`.
    public nonisolated var url: String {
        "\(tls == .none ? "mqtt" : "mqtts")://\(host):\(port)"
    }

    private init(
        tls: MosquittoTLSMode, port: Int, certificates: TestCertificates, credentials: MosquittoCredentials?,
        directory: TemporaryDirectory, logFile: String, executable: String, configFile: String,
        process: ChildProcess
    ) {
        self.tls = tls
        self.port = port
        self.certificates = certificates
        self.credentials = credentials
        self.directory = directory
        self.logFile = logFile
        self.executable = executable
        self.configFile = configFile
        self.process = process
    }

    deinit {
        // A test that failed before `shutdown()` must not leave a broker or its files behind.
        process?.kill()
        directory.remove()
    }

    /// Generates certificates, writes the configuration and starts the broker, returning once it accepts connections.
    ///
    /// - Parameters:
    ///   - tls: plain, server-authenticated TLS, or mutual TLS.
    ///   - credentials: when given, the broker refuses anonymous clients and accepts only this account.
    ///   - quiet: log only errors, warnings, notices and information (for benchmarks): no line per
    ///     packet or connection, so `waitForLog` cannot see SUBACKs and `startSubscription` does not work.
    ///   - executable: the broker binary.
    public static func start(
        tls: MosquittoTLSMode = .none,
        credentials: MosquittoCredentials? = nil,
        quiet: Bool = false,
        executable: String = "/usr/sbin/mosquitto"
    ) async throws -> MosquittoFixture {
        let directory = try TemporaryDirectory(prefix: "perch-mosquitto")
        do {
            let certificates = try await TestCertificates.generate(in: directory)
            var passwordFile: String?
            if let credentials {
                passwordFile = try await Self.writePasswordFile(credentials, in: directory)
            }
            let logFile = directory.file("mosquitto.log")
            let configFile = directory.file("mosquitto.conf")
            // FreePort's answer can be stale by the time mosquitto binds: retry with another port.
            var lastError: (any Error)?
            for _ in 0..<5 {
                let port = try FreePort.make()
                let configuration = MosquittoConfiguration(
                    port: port, tls: tls, certificates: certificates, passwordFile: passwordFile,
                    directory: directory, logFile: logFile, isQuiet: quiet)
                try directory.write(configuration.render(), to: "mosquitto.conf")
                do {
                    let process = try await launch(executable: executable, configFile: configFile)
                    return MosquittoFixture(
                        tls: tls, port: port, certificates: certificates, credentials: credentials,
                        directory: directory, logFile: logFile, executable: executable,
                        configFile: configFile, process: process)
                } catch let error as TestKitError {
                    guard case let .brokerFailed(_, tail) = error, tail.contains("Address already in use") else {
                        throw error
                    }
                    lastError = error
                }
            }
            throw lastError ?? TestKitError.brokerFailed(reason: "no free port", logTail: "")
        } catch {
            directory.remove()
            throw error
        }
    }

    /// True while the broker process is running.
    public var isRunning: Bool { process?.isRunning ?? false }

    /// Stops the broker gracefully (SIGTERM, which makes it write its persistence file) and waits for it to exit.
    public func stop() async throws {
        guard let process else { return }
        self.process = nil
        try await process.stop(gracePeriod: .seconds(10))
    }

    /// Kills the broker with SIGKILL (nothing is persisted) and waits for it to exit.
    public func kill() async throws {
        guard let process else { return }
        self.process = nil
        process.kill()
        try await process.waitForExit(timeout: .seconds(10))
    }

    /// Stops the broker if it runs, then starts it again on the same port with the same certificates and data.
    public func restart() async throws {
        try await stop()
        let started = try await Self.launch(executable: executable, configFile: configFile)
        // Another restart may have raced us across the `await`s: keep exactly one broker.
        if let running = process { running.kill() }
        process = started
    }

    /// Stops the broker and removes the fixture's directory.
    public func shutdown() async {
        if let process {
            self.process = nil
            _ = try? await process.stop(gracePeriod: .seconds(5))
        }
        directory.remove()
    }

    /// The broker's log so far (all runs of this fixture).
    public nonisolated func logText() -> String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    /// Waits until the running broker logs a line containing `text` (e.g. "New client connected").
    @discardableResult
    public func waitForLog(containing text: String, timeout: Duration) async throws -> String {
        guard let process else {
            throw TestKitError.brokerFailed(reason: "not running", logTail: tail(of: logText()))
        }
        return try await process.waitForLine(containing: text, timeout: timeout)
    }

    private static func launch(executable: String, configFile: String) async throws -> ChildProcess {
        let process = try ChildProcess.start(executable, arguments: ["-c", configFile])
        do {
            // Logged after every listener is bound; if binding fails mosquitto exits instead.
            try await process.waitForLine(containing: " running", timeout: .seconds(15))
            return process
        } catch {
            process.kill()
            _ = try? await process.waitForExit(timeout: .seconds(5))
            throw TestKitError.brokerFailed(reason: "did not start: \(error)", logTail: process.outputTail())
        }
    }

    private static func writePasswordFile(_ credentials: MosquittoCredentials, in directory: TemporaryDirectory)
        async throws -> String
    {
        let file = directory.file("passwords")
        let tool = try ChildProcess.start(
            "/usr/bin/mosquitto_passwd",
            arguments: ["-c", "-b", file, credentials.username, credentials.password])
        let status = try await tool.waitForExit(timeout: .seconds(15))
        guard status.isSuccess else {
            throw TestKitError.toolFailed(tool: "mosquitto_passwd", status: status, output: tool.outputText)
        }
        return file
    }

    private nonisolated func tail(of text: String) -> String {
        text.split(separator: "\n").suffix(40).joined(separator: "\n")
    }
}
