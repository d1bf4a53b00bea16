import Foundation

/// A child process whose output tests can await line by line.
///
/// Standard output and standard error are captured into one buffer in arrival
/// order. The process is killed when the last reference goes away, so a failed
/// test never leaves a broker or a `perchd` behind.
public final class ChildProcess: Sendable {
    /// The executable that was started.
    public let executable: String
    /// The process id.
    public let processIdentifier: Int32

    private let process: Process
    private let output: AwaitableState<ChildOutput>

    private init(executable: String, process: Process, output: AwaitableState<ChildOutput>) {
        self.executable = executable
        self.process = process
        self.output = output
        self.processIdentifier = process.processIdentifier
    }

    deinit {
        if process.isRunning { deliver(SIGKILL, to: processIdentifier) }
    }

    /// Starts `executable` with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: variables added to (or replacing those of) this process's environment.
    ///   - removingEnvironment: variables removed from the inherited environment.
    ///   - currentDirectory: the working directory, this process's by default.
    public static func start(
        _ executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        removingEnvironment: Set<String> = [],
        currentDirectory: URL? = nil
    ) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.filter { !removingEnvironment.contains($0.key) }
        merged.merge(environment) { _, new in new }
        process.environment = merged
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }

        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice

        let output = AwaitableState(ChildOutput())
        process.terminationHandler = { finished in
            let status: ExitStatus = finished.terminationReason == .uncaughtSignal
                ? .signalled(finished.terminationStatus)
                : .exited(finished.terminationStatus)
            output.update { $0.exitStatus = status }
        }
        do {
            try withSignalsUnblocked { try process.run() }
        } catch {
            throw TestKitError.launchFailed(executable: executable, reason: "\(error)")
        }
        // The child holds its own copies; closing ours lets the readers see EOF.
        try? standardOutput.fileHandleForWriting.close()
        try? standardError.fileHandleForWriting.close()
        PipeReader.start(standardOutput.fileHandleForReading, stream: .standardOutput, into: output)
        PipeReader.start(standardError.fileHandleForReading, stream: .standardError, into: output)
        return ChildProcess(executable: executable, process: process, output: output)
    }

    /// Every line captured so far, both streams in arrival order.
    public var lines: [OutputLine] { output.value.lines }

    /// Every line captured so far, joined with newlines.
    public var outputText: String { lines.map(\.text).joined(separator: "\n") }

    /// The last few lines, for error messages.
    public func outputTail(_ count: Int = 40) -> String { output.value.tail(count) }

    /// True until the process has exited.
    public var isRunning: Bool { output.value.exitStatus == nil }

    /// The exit status once it has exited.
    public var exitStatus: ExitStatus? { output.value.exitStatus }

    /// Waits for a line (already captured or still to come) that contains `text`.
    @discardableResult
    public func waitForLine(containing text: String, timeout: Duration) async throws -> String {
        try await waitForLine(describedAs: "a line containing \"\(text)\"", timeout: timeout) {
            $0.contains(text)
        }
    }

    /// Waits for a line matching `predicate`; fails early if the process ends first.
    @discardableResult
    public func waitForLine(
        describedAs description: String = "a matching line",
        timeout: Duration,
        where predicate: @escaping @Sendable (String) -> Bool
    ) async throws -> String {
        try await waitForOutput(describedAs: description, timeout: timeout) { lines in
            lines.first(where: { predicate($0.text) })?.text
        }
    }

    /// Waits until `evaluate`, given every line so far, returns a result; fails early if the process ends first.
    public func waitForOutput<Result: Sendable>(
        describedAs description: String,
        timeout: Duration,
        evaluate: @escaping @Sendable ([OutputLine]) -> Result?
    ) async throws -> Result {
        let name = "\(description) from \(executable)"
        return try await output.wait(for: name, timeout: timeout, context: { $0.tail() }) { state in
            if let result = evaluate(state.lines) { return .ready(result) }
            if state.isFinished { return .failed(.processEnded(waitingFor: name, context: state.tail())) }
            return .pending
        }
    }

    /// Sends `signal` (if the process is still running).
    public func send(signal: Int32) {
        if isRunning { deliver(signal, to: processIdentifier) }
    }

    /// Sends SIGTERM.
    public func terminate() { send(signal: SIGTERM) }

    /// Sends SIGKILL.
    public func kill() { send(signal: SIGKILL) }

    /// Waits until the process has exited and all its output has been read.
    @discardableResult
    public func waitForExit(timeout: Duration) async throws -> ExitStatus {
        try await output.wait(for: "\(executable) to exit", timeout: timeout, context: { $0.tail() }) { state in
            if state.isFinished, let status = state.exitStatus { return .ready(status) }
            return .pending
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within `gracePeriod`; returns how it ended.
    @discardableResult
    public func stop(gracePeriod: Duration = .seconds(10)) async throws -> ExitStatus {
        terminate()
        if let status = try? await waitForExit(timeout: gracePeriod) { return status }
        kill()
        return try await waitForExit(timeout: .seconds(10))
    }
}

/// `kill(2)`, under a name that does not clash with `ChildProcess.kill()`.
private func deliver(_ signal: Int32, to pid: Int32) {
    #if canImport(Glibc)
    _ = Glibc.kill(pid, signal)
    #elseif canImport(Darwin)
    _ = Darwin.kill(pid, signal)
    #endif
}

/// Runs `body` with no signal blocked on the calling thread.
///
/// `posix_spawn` hands the calling thread's signal mask to the child, and Swift
/// concurrency's worker threads block nearly every signal: without this, a child
/// started from a test would ignore SIGTERM (no graceful stop) and SIGALRM
/// (`mosquitto_sub -W` would never time out).
private func withSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
    var unblocked = sigset_t()
    var saved = sigset_t()
    sigemptyset(&unblocked)
    pthread_sigmask(SIG_SETMASK, &unblocked, &saved)
    defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
    return try body()
}
