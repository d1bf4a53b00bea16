import Synchronization

/// What a waiter makes of the current state: done, not yet, or never.
enum WaitOutcome<Result: Sendable>: Sendable {
    case ready(Result)
    case pending
    case failed(TestKitError)
}

/// A lock-protected value that tasks can await a condition on, with a bounded timeout.
///
/// Producers (reader threads, termination handlers) call `update`; every update
/// re-evaluates the pending waiters. This is how tests wait on real events
/// instead of sleeping.
final class AwaitableState<State: Sendable>: Sendable {
    private struct Waiter: Sendable {
        /// Evaluates the state; returns a closure that resumes the waiter once it is settled.
        let settle: @Sendable (State) -> (@Sendable () -> Void)?
        let expire: @Sendable (TestKitError) -> Void
    }

    private struct Guarded: Sendable {
        var state: State
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let guarded: Mutex<Guarded>

    init(_ initial: State) {
        self.guarded = Mutex(Guarded(state: initial))
    }

    /// A snapshot of the current state.
    var value: State {
        guarded.withLock { $0.state }
    }

    /// Changes the state and wakes every waiter whose condition is now settled.
    func update(_ change: (inout State) -> Void) {
        let resumptions: [@Sendable () -> Void] = guarded.withLock { guarded in
            change(&guarded.state)
            var settled: [@Sendable () -> Void] = []
            for (id, waiter) in guarded.waiters {
                if let resume = waiter.settle(guarded.state) {
                    guarded.waiters[id] = nil
                    settled.append(resume)
                }
            }
            return settled
        }
        // Resume outside the lock so a resumed task can touch the state at once.
        for resume in resumptions { resume() }
    }

    /// Waits until `evaluate` gives a result or a failure, at most `timeout`.
    func wait<Result: Sendable>(
        for description: String,
        timeout: Duration,
        context: @escaping @Sendable (State) -> String,
        evaluate: @escaping @Sendable (State) -> WaitOutcome<Result>
    ) async throws -> Result {
        let id = guarded.withLock { guarded -> UInt64 in
            guarded.nextID += 1
            return guarded.nextID
        }
        let timer = Task { [weak self] in
            // A timeout, not synchronisation: the wait ends earlier on the event itself.
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled, let self else { return }
            self.expire(id) { state in
                .timedOut(waitingFor: description, after: timeout, context: context(state))
            }
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                let waiter = Waiter(
                    settle: { state in
                        switch evaluate(state) {
                        case .pending: return nil
                        case let .ready(result): return { continuation.resume(returning: result) }
                        case let .failed(error): return { continuation.resume(throwing: error) }
                        }
                    },
                    expire: { error in continuation.resume(throwing: error) }
                )
                let immediate: (@Sendable () -> Void)? = guarded.withLock { guarded in
                    if let resume = waiter.settle(guarded.state) { return resume }
                    guarded.waiters[id] = waiter
                    return nil
                }
                immediate?()
            }
        } onCancel: {
            self.expire(id) { state in
                .timedOut(waitingFor: description + " (cancelled)", after: .zero, context: context(state))
            }
        }
    }

    private func expire(_ id: UInt64, error: @Sendable (State) -> TestKitError) {
        let pending: (Waiter, TestKitError)? = guarded.withLock { guarded in
            guard let waiter = guarded.waiters.removeValue(forKey: id) else { return nil }
            return (waiter, error(guarded.state))
        }
        if let (waiter, failure) = pending { waiter.expire(failure) }
    }
}
