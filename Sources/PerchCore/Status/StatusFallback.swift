import Synchronization

/// Which form of the status document the broker takes: 0 the full one, then
/// each smaller one in turn. It only goes down during a run.
final class StatusFallback: Sendable {
    private let current = Mutex(0)

    var level: Int { current.withLock { $0 } }

    func lower(to level: Int) {
        current.withLock { $0 = max($0, level) }
    }
}
