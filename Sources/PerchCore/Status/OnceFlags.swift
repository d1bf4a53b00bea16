import Synchronization

/// Remembers which things were already said, so that a condition that holds
/// on every status interval is logged once per run, not every 30 seconds.
final class OnceFlags: Sendable {
    private let said = Mutex<Set<String>>([])

    /// Runs `body` the first time `key` is seen.
    func once(_ key: String, _ body: () -> Void) {
        let isFirst = said.withLock { $0.insert(key).inserted }
        if isFirst { body() }
    }
}
