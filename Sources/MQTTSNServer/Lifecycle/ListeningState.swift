import NIOCore
import Synchronization

/// The addresses the server listens on, once every listener is bound, for those
/// who wait for it (systemd readiness, tests). Read rarely: a lock is fine here.
final class ListeningState: Sendable {
    private enum State {
        case waiting([CheckedContinuation<[SocketAddress], any Error>])
        case listening([SocketAddress])
        case failed(MQTTSNServerError)
    }

    private let state = Mutex<State>(.waiting([]))

    /// Suspends until the listeners are bound (their local addresses) or failed.
    func wait() async throws -> [SocketAddress] {
        try await withCheckedThrowingContinuation { continuation in
            let settled: Result<[SocketAddress], MQTTSNServerError>? = state.withLock { state in
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

    /// The bound addresses, or `nil` while not (or no longer) listening.
    var addresses: [SocketAddress]? {
        state.withLock { state in
            if case let .listening(addresses) = state { return addresses }
            return nil
        }
    }

    func succeed(_ addresses: [SocketAddress]) {
        settle(.listening(addresses)) { $0.resume(returning: addresses) }
    }

    func fail(_ error: MQTTSNServerError) {
        settle(.failed(error)) { $0.resume(throwing: error) }
    }

    private func settle(_ final: State, resume: (CheckedContinuation<[SocketAddress], any Error>) -> Void) {
        let waiters: [CheckedContinuation<[SocketAddress], any Error>] = state.withLock { state in
            guard case let .waiting(waiters) = state else { return [] }
            state = final
            return waiters
        }
        waiters.forEach(resume)
    }
}
