/// The test waited longer than it was willing to.
public struct TimedOut: Error, CustomStringConvertible {
    /// What was waited for.
    public let what: String
    /// "timed out waiting for …".
    public var description: String { "timed out waiting for \(what)" }
}

/// Runs `operation`, failing with `TimedOut` after `timeout`; the clock is only
/// the bound, never the synchronisation.
public func withTimeout<T: Sendable>(
    _ timeout: Duration,
    waitingFor what: String,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut(what: what)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimedOut(what: what) }
        return first
    }
}

extension AsyncStream where Element: Sendable {
    /// The next element, within `timeout`.
    public func next(within timeout: Duration, waitingFor what: String) async throws -> Element {
        let stream = self
        return try await withTimeout(timeout, waitingFor: what) {
            var iterator = stream.makeAsyncIterator()
            guard let element = await iterator.next() else { throw TimedOut(what: "\(what) (stream ended)") }
            return element
        }
    }
}
