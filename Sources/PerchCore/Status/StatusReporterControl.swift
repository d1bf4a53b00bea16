/// Changes a running `StatusReporter` from outside: a new `status.interval`
/// on `systemctl reload`, or a document out of turn (after a reload, so that
/// its outcome is seen at once).
public final class StatusReporterControl: Sendable {
    enum Command: Sendable {
        case interval(Duration)
        case publishNow
    }

    let commands: AsyncStream<Command>
    private let sink: AsyncStream<Command>.Continuation

    /// A control for one reporter.
    public init() {
        (commands, sink) = AsyncStream<Command>.makeStream(bufferingPolicy: .bufferingNewest(16))
    }

    /// Publishes every `interval` from now on; the next document follows
    /// `interval` after this call.
    public func setInterval(_ interval: Duration) {
        sink.yield(.interval(interval))
    }

    /// Publishes a document now, if the uplink is connected.
    public func publishNow() {
        sink.yield(.publishNow)
    }
}
