import NIOCore
import PerchCore
import Synchronization
import CoAPServer

/// A fake upstream that holds every confirmable publish until the input says
/// to answer (`answerAll`), then acknowledges them all, or refuses them all
/// when `refuses` is set; subscriptions always succeed.
final class HeldUpstream: CoAPUpstream {
    private struct State {
        var waiting: [EventLoopPromise<Void>] = []
        var refuses = false
    }

    /// A refusal as the spool gives one: the sensor gets 5.03 with Max-Age.
    struct Refused: Error {}

    private let eventLoop: any EventLoop
    private let state = Mutex(State())

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Whether `answerAll` refuses (5.03) rather than acknowledges (2.04).
    var refuses: Bool {
        get { state.withLock { $0.refuses } }
        set { state.withLock { $0.refuses = newValue } }
    }

    func enqueue(_ message: Message) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        state.withLock { $0.waiting.append(promise) }
        return promise.futureResult
    }

    func send(_ message: Message) {}

    func subscribe(_ filter: String) async throws {}

    func unsubscribe(_ filter: String) async throws {}

    /// Completes every waiting publish on the loop (after the callbacks the
    /// engine registered there) and returns how many there were.
    func answerAll() -> Int {
        let (waiting, refuses) = state.withLock { state in
            defer { state.waiting.removeAll() }
            return (state.waiting, state.refuses)
        }
        guard !waiting.isEmpty else { return 0 }
        eventLoop.execute {
            for promise in waiting {
                if refuses { promise.fail(Refused()) } else { promise.succeed() }
            }
        }
        return waiting.count
    }
}
