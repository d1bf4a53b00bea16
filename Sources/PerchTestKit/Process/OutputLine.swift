/// One line a child process wrote, without its newline.
public struct OutputLine: Sendable, Equatable {
    /// Which pipe it came from.
    public enum Stream: Sendable, Equatable {
        /// Standard output.
        case standardOutput
        /// Standard error.
        case standardError
    }

    /// The pipe the line came from.
    public var stream: Stream
    /// The text, decoded as UTF-8 (invalid bytes replaced).
    public var text: String

    /// Makes a line.
    public init(stream: Stream, text: String) {
        self.stream = stream
        self.text = text
    }
}

/// What has been seen of a running child so far.
struct ChildOutput: Sendable {
    var lines: [OutputLine] = []
    var openStreams = 2
    var exitStatus: ExitStatus?

    /// Exited and both pipes drained: nothing more will arrive.
    var isFinished: Bool { exitStatus != nil && openStreams == 0 }

    /// The last lines, for error messages.
    func tail(_ count: Int = 40) -> String {
        lines.suffix(count).map(\.text).joined(separator: "\n")
    }
}
