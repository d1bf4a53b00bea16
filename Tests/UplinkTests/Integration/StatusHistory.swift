import Synchronization
import Uplink
import PerchCore

/// Every status an uplink reports, from now on.
final class StatusHistory: Sendable {
    private final class Log: Sendable {
        let statuses = Mutex<[UplinkStatus]>([])
    }

    private let log = Log()
    private let task: Task<Void, Never>

    init(_ uplink: Uplink) {
        let changes = uplink.statusChanges()
        let log = self.log
        task = Task {
            for await status in changes {
                log.statuses.withLock { $0.append(status) }
            }
        }
    }

    var snapshot: [UplinkStatus] { log.statuses.withLock { $0 } }

    deinit { task.cancel() }
}
