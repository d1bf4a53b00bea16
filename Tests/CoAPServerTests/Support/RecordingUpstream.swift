import CoAPServer
import NIOCore
import NIOPosix
import PerchCore
import Synchronization

/// A `CoAPUpstream` that records every message and leaves confirmable ones
/// pending until the test settles them, so a test decides when "the spool has
/// it" and can see that the sensor is not answered before.
final class RecordingUpstream: CoAPUpstream {
    enum Event: Sendable, Equatable {
        case enqueued(Message)
        case sent(Message)
        case subscribed(String)
        case unsubscribed(String)
    }

    private struct State {
        var promises: [EventLoopPromise<Void>] = []
        var continuation: AsyncStream<Event>.Continuation?
    }

    private let eventLoop: any EventLoop
    private let state: Mutex<State>
    /// Every message, in arrival order.
    let events: AsyncStream<Event>

    init(eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()) {
        self.eventLoop = eventLoop
        let (stream, continuation) = AsyncStream<Event>.makeStream()
        self.events = stream
        self.state = Mutex(State(continuation: continuation))
    }

    func enqueue(_ message: Message) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let continuation = state.withLock { state in
            state.promises.append(promise)
            return state.continuation
        }
        continuation?.yield(.enqueued(message))
        return promise.futureResult
    }

    func send(_ message: Message) {
        let continuation = state.withLock { $0.continuation }
        continuation?.yield(.sent(message))
    }

    func subscribe(_ filter: String) async throws {
        let continuation = state.withLock { $0.continuation }
        continuation?.yield(.subscribed(filter))
    }

    func unsubscribe(_ filter: String) async throws {
        let continuation = state.withLock { $0.continuation }
        continuation?.yield(.unsubscribed(filter))
    }

    /// Completes the oldest pending enqueue; false when none is pending.
    @discardableResult
    func settleOldest(with result: Result<Void, any Error>) -> Bool {
        let promise: EventLoopPromise<Void>? = state.withLock { state in
            state.promises.isEmpty ? nil : state.promises.removeFirst()
        }
        promise?.completeWith(result)
        return promise != nil
    }

    /// Fails whatever is still pending, so no promise is leaked.
    func finish() {
        let promises = state.withLock { state in
            state.continuation?.finish()
            defer { state.promises.removeAll() }
            return state.promises
        }
        for promise in promises { promise.fail(CancellationError()) }
    }
}

/// The upstream said no (spool full, `reject_new`).
struct UpstreamRefused: Error {}
