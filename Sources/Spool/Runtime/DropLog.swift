import Logging
import NIOCore

/// Logs dropped messages once per burst (SPEC §5): the first drop at once,
/// then one summary line per second while drops go on.
final class DropLog {
    private let logger: Logger
    private var pending: [String: Int] = [:]
    private var flushTask: Scheduled<Void>?

    init(logger: Logger) {
        self.logger = logger
    }

    func record(_ count: Int, _ reason: SpoolRejection, now: NIODeadline, eventLoop: any EventLoop) {
        let key = Self.key(reason)
        if flushTask == nil {
            logger.warning("spool dropped messages", metadata: ["messages": "\(count)", "reason": "\(reason)"])
            flushTask = eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { [self] in
                flushTask = nil
                flush()
            }
            return
        }
        pending[key, default: 0] += count
    }

    /// Logs what gathered since the last line.
    func flush() {
        flushTask?.cancel()
        flushTask = nil
        for (reason, count) in pending.sorted(by: { $0.key < $1.key }) {
            logger.warning("spool dropped more messages in the last second", metadata: ["messages": "\(count)", "reason": "\(reason)"])
        }
        pending.removeAll()
    }

    private static func key(_ reason: SpoolRejection) -> String {
        // Refusals name the topic; for the summary the kind is enough.
        if case .refused = reason { return "refused upstream" }
        if case .permanent(.tooLarge) = reason { return "larger than the broker takes" }
        if case .permanent(.refusedUpstream) = reason { return "refused upstream" }
        return reason.description
    }
}
