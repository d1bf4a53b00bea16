import Synchronization

/// The addresses a listener `Service` is bound to, once every socket is, for
/// those who wait for it (systemd readiness, tests); or why binding failed.
/// Shared by the MQTT-SN and CoAP servers. Read rarely: a lock is fine here.
public final class ListeningState<Address: Sendable, Failure: Error>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<[Address], any Error>])
        case listening([Address])
        case failed(Failure)
    }

    private let state = Mutex<State>(.waiting([]))

    public init() {}

    /// Suspends until the listeners are bound (their addresses) or failed.
    public func wait() async throws -> [Address] {
        try await withCheckedThrowingContinuation { continuation in
            let settled: Result<[Address], Failure>? = state.withLock { state in
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
    public var addresses: [Address]? {
        state.withLock { state in
            if case let .listening(addresses) = state { return addresses }
            return nil
        }
    }

    /// Every listener is bound: wake the waiters.
    public func succeed(_ addresses: [Address]) {
        settle(.listening(addresses)) { $0.resume(returning: addresses) }
    }

    /// Binding failed: the waiters hear why.
    public func fail(_ error: Failure) {
        settle(.failed(error)) { $0.resume(throwing: error) }
    }

    private func settle(_ final: State, resume: (CheckedContinuation<[Address], any Error>) -> Void) {
        let waiters: [CheckedContinuation<[Address], any Error>] = state.withLock { state in
            guard case let .waiting(waiters) = state else { return [] }
            state = final
            return waiters
        }
        waiters.forEach(resume)
    }
}
