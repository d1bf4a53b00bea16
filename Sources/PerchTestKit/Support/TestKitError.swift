/// Everything that can go wrong in a test fixture, with enough context to debug a failed run.
public enum TestKitError: Error, Equatable, CustomStringConvertible {
    /// A bounded wait ended before its condition held.
    case timedOut(waitingFor: String, after: Duration, context: String)
    /// A child process ended (or closed its output) before the awaited event.
    case processEnded(waitingFor: String, context: String)
    /// A child process could not be started.
    case launchFailed(executable: String, reason: String)
    /// A command-line tool exited unsuccessfully.
    case toolFailed(tool: String, status: ExitStatus, output: String)
    /// The broker did not become ready.
    case brokerFailed(reason: String, logTail: String)
    /// A file-system or socket operation failed.
    case system(operation: String, errno: Int32)
    /// The built `perchd` executable was not found.
    case perchdNotBuilt(searched: [String])
    /// Output of a tool could not be parsed.
    case unparsableOutput(tool: String, line: String)

    /// A readable explanation, including captured output where there is any.
    public var description: String {
        switch self {
        case let .timedOut(what, after, context):
            return "timed out after \(after) waiting for \(what)\(Self.appending(context))"
        case let .processEnded(what, context):
            return "process ended while waiting for \(what)\(Self.appending(context))"
        case let .launchFailed(executable, reason):
            return "could not start \(executable): \(reason)"
        case let .toolFailed(tool, status, output):
            return "\(tool) failed (\(status))\(Self.appending(output))"
        case let .brokerFailed(reason, logTail):
            return "mosquitto: \(reason)\(Self.appending(logTail))"
        case let .system(operation, errno):
            return "\(operation) failed: errno \(errno)"
        case let .perchdNotBuilt(searched):
            return "perchd executable not found (run `swift build` first); searched: "
                + searched.joined(separator: ", ")
        case let .unparsableOutput(tool, line):
            return "unexpected output from \(tool): \(line)"
        }
    }

    private static func appending(_ context: String) -> String {
        context.isEmpty ? "" : "\n--- output ---\n" + context
    }
}
