import MQTTCodec
@testable import PerchDaemon
import Synchronization

/// Records the upstream requests of `SharedSubscriptions`, in order; a
/// subscribe can be held until the test lets it go, and refused.
final class RecordingSubscriptionUpstream: SubscriptionUpstream {
    enum Request: Equatable, Sendable {
        case subscribe(String, MQTTQoS)
        case unsubscribe(String)
    }

    struct Refused: Error {}

    private struct State {
        var requests: [Request] = []
        var refuseNextSubscribe = false
        var held: [CheckedContinuation<Void, Never>] = []
        var holdSubscribes = false
        var heldWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Every request so far.
    var requests: [Request] { state.withLock { $0.requests } }

    /// Makes the next subscribe fail.
    func refuseNextSubscribe() { state.withLock { $0.refuseNextSubscribe = true } }

    /// Holds every subscribe from now on until `release()`.
    func holdSubscribes() { state.withLock { $0.holdSubscribes = true } }

    /// Waits until a subscribe is held.
    func waitUntilHeld() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if !state.held.isEmpty { return true }
                state.heldWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Lets the held subscribes go and stops holding.
    func release() {
        let held = state.withLock { state in
            state.holdSubscribes = false
            defer { state.held.removeAll() }
            return state.held
        }
        for continuation in held { continuation.resume() }
    }

    func subscribe(_ filter: String, qos: MQTTQoS) async throws -> MQTTQoS {
        let refused = state.withLock { state in
            state.requests.append(.subscribe(filter, qos))
            defer { state.refuseNextSubscribe = false }
            return state.refuseNextSubscribe
        }
        if refused { throw Refused() }
        await withCheckedContinuation { continuation in
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
                guard state.holdSubscribes else { return nil }
                state.held.append(continuation)
                defer { state.heldWaiters.removeAll() }
                return state.heldWaiters
            }
            guard let waiters else { return continuation.resume() }
            for waiter in waiters { waiter.resume() }
        }
        return qos
    }

    func unsubscribe(_ filter: String) async throws {
        state.withLock { $0.requests.append(.unsubscribe(filter)) }
    }
}
