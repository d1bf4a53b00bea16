import PerchCore
import Synchronization

/// The addresses the server listens on, once every listener is bound, for those
/// who wait for it (systemd readiness, tests). Read rarely: a lock is fine here.
final class ListeningState: Sendable {
    private enum State {
        case waiting([CheckedContinuation<[ListenAddress], any Error>])
        case listening([ListenAddress])
        case failed(CoAPServerError)
    }

    private let state = Mutex<State>(.waiting([]))

    /// Suspends until the listeners are bound (with the ports chosen) or failed.
    func wait() async throws -> [ListenAddress] {
        try await withCheckedThrowingContinuation { continuation in
            let settled: Result<[ListenAddress], CoAPServerError>? = state.withLock { state in
                switch state {
                case var .waiting(waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case let .listening(addresses):
                    return .success(addresses)
                case let .failed(error):
                    return .failure(error)
                }
            }
            if let settled { continuation.resume(with: settled.mapError { $0 as any Error }) }
        }
    }

    func succeed(_ addresses: [ListenAddress]) {
        settle(.listening(addresses)) { $0.resume(returning: addresses) }
    }

    func fail(_ error: CoAPServerError) {
        settle(.failed(error)) { $0.resume(throwing: error) }
    }

    private func settle(_ final: State, resume: (CheckedContinuation<[ListenAddress], any Error>) -> Void) {
        let waiters: [CheckedContinuation<[ListenAddress], any Error>] = state.withLock { state in
            guard case let .waiting(waiters) = state else { return [] }
            state = final
            return waiters
        }
        waiters.forEach(resume)
    }
}
