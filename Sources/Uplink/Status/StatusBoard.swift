import PerchCore
import Synchronization

/// The uplink's status snapshot and everyone watching it.
///
/// A lock rather than the event loop: `Uplink.status` is a synchronous
/// property read from any thread, and status changes are rare (connect,
/// disconnect, failed attempt), never on the per-message path.
final class StatusBoard: Sendable {
    private struct State {
        var status: UplinkStatus
        var watchers: [UInt64: AsyncStream<UplinkStatus>.Continuation] = [:]
        var nextWatcher: UInt64 = 0
        var isFinished = false
    }

    private let state: Mutex<State>

    init(broker: String) {
        state = Mutex(State(status: UplinkStatus(broker: broker)))
    }

    var current: UplinkStatus {
        state.withLock { $0.status }
    }

    /// Changes the status and tells every watcher.
    func update(_ change: (inout UplinkStatus) -> Void) {
        state.withLock { state in
            change(&state.status)
            for watcher in state.watchers.values {
                watcher.yield(state.status)
            }
        }
    }

    /// A stream that starts with the current status and then yields every change.
    func makeStream() -> AsyncStream<UplinkStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: UplinkStatus.self, bufferingPolicy: .bufferingNewest(64))
        let id: UInt64? = state.withLock { state in
            continuation.yield(state.status)
            guard !state.isFinished else { return nil }
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = continuation
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.removeWatcher(id)
        }
        return stream
    }

    private func removeWatcher(_ id: UInt64) {
        state.withLock { _ = $0.watchers.removeValue(forKey: id) }
    }

    /// Ends every stream: the uplink has stopped.
    func finish() {
        let watchers = state.withLock { state in
            state.isFinished = true
            defer { state.watchers.removeAll() }
            return Array(state.watchers.values)
        }
        for watcher in watchers {
            watcher.finish()
        }
    }
}
