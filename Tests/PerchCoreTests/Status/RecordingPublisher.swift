import PerchCore
import Synchronization

/// An `UpstreamPublishing` that records what it is given, so tests can wait for
/// the n-th message without sleeping.
final class RecordingPublisher: UpstreamPublishing {
    private struct State {
        var messages: [Message] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<[Message], Never>)] = []
    }

    private let state = Mutex(State())

    func publish(_ message: Message) async throws {
        let ready = state.withLock { state -> [(CheckedContinuation<[Message], Never>, [Message])] in
            state.messages.append(message)
            let count = state.messages.count
            let ready = state.waiters.filter { $0.count <= count }
            state.waiters.removeAll { $0.count <= count }
            return ready.map { ($0.continuation, state.messages) }
        }
        for (continuation, messages) in ready { continuation.resume(returning: messages) }
    }

    var messages: [Message] { state.withLock { $0.messages } }

    /// Returns the messages once there are at least `count` of them.
    func waitForMessages(count: Int) async -> [Message] {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> [Message]? in
                if state.messages.count >= count { return state.messages }
                state.waiters.append((count, continuation))
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }
}

/// A value shared between a test and the code under test.
final class LockedBox<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
