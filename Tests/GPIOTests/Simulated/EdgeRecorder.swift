import Synchronization

/// The test waited longer than it was willing to.
struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Counts the `onEdge` calls of an input line and lets a test wait for the
/// n-th one, with a bounded timeout (the clock is only the bound).
final class EdgeRecorder: Sendable {
    private let state = Mutex(State())

    private struct Waiter {
        var target: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var count = 0
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
        /// Waits whose time ran out before they were registered.
        var expired: Set<Int> = []
    }

    /// The callback to hand to `requestInput`.
    var onEdge: @Sendable () -> Void {
        { [self] in self.record() }
    }

    /// Edges seen so far.
    var count: Int { state.withLock { $0.count } }

    private func record() {
        let ready = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.count += 1
            let settled = state.waiters.filter { $0.value.target <= state.count }
            for id in settled.keys { state.waiters[id] = nil }
            return settled.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    /// Waits until `target` edges have been seen, at most `timeout`.
    func wait(forCount target: Int, timeout: Duration = .seconds(5)) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self.expire(id)
        }
        defer { timer.cancel() }
        let reached = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let immediate = state.withLock { state -> Bool? in
                if state.count >= target { return true }
                if state.expired.remove(id) != nil { return false }
                state.waiters[id] = Waiter(target: target, continuation: continuation)
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        guard reached else { throw TimedOut(what: "edge \(target) (saw \(count))") }
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return nil
            }
            return waiter
        }
        waiter?.continuation.resume(returning: false)
    }
}
