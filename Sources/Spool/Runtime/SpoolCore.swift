import Logging
import NIOCore
import NIOPosix
import PerchCore

/// The spool's runtime, confined to the uplink's event loop: it feeds events
/// to the `SpoolQueue`, carries out its actions (transmissions, answers to
/// senders, disk work on the thread pool), keeps its one timer, and logs.
final class SpoolCore {
    typealias Sender = EventLoopPromise<Void>

    /// How `stop()` ended.
    struct Stopped: Sendable {
        /// Messages kept on disk for the next start.
        var held: Int
        /// Messages that were not on disk when the last commit failed: lost.
        var unwritten: Int
    }

    private let queue: SpoolQueue<Sender>
    private let store: any SpoolStoring
    private let transport: any UpstreamTransport
    private let threadPool: NIOThreadPool
    private let eventLoop: any EventLoop
    private let wallClock: @Sendable () -> Int64
    private let recoveredFrom: String?
    private let logger: Logger

    private var actions: [SpoolAction<Sender>] = []
    private var isCarryingOut = false
    private var isAttached = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var stopPromise: EventLoopPromise<Stopped>?
    private let dropLog: DropLog

    init(
        queue: SpoolQueue<Sender>, store: any SpoolStoring, transport: any UpstreamTransport, threadPool: NIOThreadPool,
        eventLoop: any EventLoop, wallClock: @escaping @Sendable () -> Int64, recoveredFrom: String?, logger: Logger
    ) {
        self.queue = queue
        self.store = store
        self.transport = transport
        self.threadPool = threadPool
        self.eventLoop = eventLoop
        self.wallClock = wallClock
        self.recoveredFrom = recoveredFrom
        self.logger = logger
        self.dropLog = DropLog(logger: logger)
    }

    // MARK: Events

    func start() {
        attachIfNeeded()
        handle { queue.pump(now: eventLoop.now, wallMilliseconds: wallClock(), &$0) }
    }

    func accept(_ message: Message, sender: Sender?) {
        attachIfNeeded()
        // SPEC §5: a message that can never fit the broker is refused at the door.
        if let refusal = transport.refusal(of: message) {
            handle { queue.refuseAtTheDoor(sender, refusal, &$0) }
            return
        }
        let now = eventLoop.now
        let wall = wallClock()
        handle { queue.accept(message, sender: sender, now: now, wallMilliseconds: wall, &$0) }
    }

    func apply(_ policy: SpoolPolicy) {
        let now = eventLoop.now
        handle { queue.apply(policy, now: now, &$0) }
    }

    func status() -> SpoolStatus {
        var status = queue.status(wallMilliseconds: wallClock())
        status.recoveredFrom = recoveredFrom
        return status
    }

    /// Takes nothing more and writes everything not on disk; the future
    /// completes once that commit is over.
    func stop() -> EventLoopFuture<Stopped> {
        let promise = eventLoop.makePromise(of: Stopped.self)
        stopPromise = promise
        handle { queue.stop(now: eventLoop.now, &$0) }
        finishStopIfDone()
        return promise.futureResult
    }

    private func attachIfNeeded() {
        guard !isAttached else { return }
        isAttached = true
        transport.setTransmissionHandler { [self] ticket, outcome in
            let now = eventLoop.now
            let wall = wallClock()
            handle { queue.transmitted(ticket, outcome, now: now, wallMilliseconds: wall, &$0) }
        }
        transport.setLinkHandler { [self] isUp in
            let now = eventLoop.now
            let wall = wallClock()
            handle { queue.linkChanged(isUp: isUp, now: now, wallMilliseconds: wall, &$0) }
        }
    }

    // MARK: Carrying out

    /// Lets `body` add actions, then carries them out in order. An action may
    /// lead back here (a transmission reported at once): the nested call only
    /// appends, and the outer loop carries its actions out too.
    private func handle(_ body: (inout [SpoolAction<Sender>]) -> Void) {
        body(&actions)
        guard !isCarryingOut else { return }
        isCarryingOut = true
        var index = 0
        while index < actions.count {
            let action = actions[index]
            index += 1
            carryOut(action)
        }
        actions.removeAll(keepingCapacity: true)
        isCarryingOut = false
        rescheduleTimer()
    }

    private func carryOut(_ action: SpoolAction<Sender>) {
        switch action {
        case .transmit(let message, let ticket):
            transport.transmit(message, ticket: ticket)
        case .forward(let message):
            transport.send(message)
        case .acknowledge(let sender):
            sender.succeed()
        case .reject(let sender, .permanent(let refusal)):
            // In PerchCore's words: the listeners answer it for good.
            sender.fail(refusal)
        case .reject(let sender, let reason):
            sender.fail(reason)
        case .commit(let batch):
            commit(batch)
        case .load(let range, let limit):
            load(range, limit: limit)
        case .report(let event):
            report(event)
        }
    }

    private func commit(_ batch: SpoolCommitBatch) {
        let store = self.store
        threadPool.runIfActive(eventLoop: eventLoop) {
            try store.commit(inserting: batch.inserting, deleting: batch.deleting, deadLetters: batch.deadLetters)
        }.assumeIsolated().whenComplete { [self] result in
            let now = eventLoop.now
            switch result {
            case .success:
                handle { queue.commitSucceeded(now: now, wallMilliseconds: wallClock(), &$0) }
            case .failure(let error):
                handle { queue.commitFailed(Self.storeError(error), now: now, &$0) }
            }
            finishStopIfDone()
        }
    }

    private func load(_ range: ClosedRange<UInt64>, limit: Int) {
        let store = self.store
        threadPool.runIfActive(eventLoop: eventLoop) {
            try store.load(range, limit: limit)
        }.assumeIsolated().whenComplete { [self] result in
            let now = eventLoop.now
            switch result {
            case .success(let messages):
                handle { queue.loaded(messages, range: range, now: now, wallMilliseconds: wallClock(), &$0) }
            case .failure(let error):
                handle { queue.loadFailed(Self.storeError(error), now: now, &$0) }
            }
        }
    }

    private static func storeError(_ error: any Error) -> SpoolStoreError {
        (error as? SpoolStoreError) ?? SpoolStoreError(kind: .failed, message: "\(error)")
    }

    private func finishStopIfDone() {
        guard let stopPromise, queue.isStopping, queue.committing == nil else { return }
        // Stopped, or the last commit failed: either way nothing more is tried.
        self.stopPromise = nil
        timer?.cancel()
        timer = nil
        dropLog.flush()
        stopPromise.succeed(Stopped(held: queue.count, unwritten: queue.uncommittedCount))
    }

    private func report(_ event: SpoolEvent) {
        switch event {
        case .dropped(let count, let reason):
            dropLog.record(count, reason, now: eventLoop.now, eventLoop: eventLoop)
        case .storeFailed(let error):
            logger.error(
                "spool cannot use the disk; messages stay in memory and senders are acknowledged only when the broker takes them",
                metadata: ["error": "\(error)", "retry_in": "\(queue.policy.retryInterval)"]
            )
        case .storeRecovered:
            logger.notice("spool writes to disk again")
        case .deadLettered(let topic, let size, let reason):
            logger.error(
                "a message the broker will not take was moved to the dead letters; the messages behind it flow on (perchd spool dead-letters lists them)",
                metadata: ["topic": "\(topic)", "bytes": "\(size)", "reason": "\(reason)"]
            )
        case .deadLettersDropped(let count):
            logger.error(
                "the dead-letter table is full; its oldest messages were dropped",
                metadata: ["messages": "\(count)", "limit": "\(DeadLetter.limit)"]
            )
        }
    }

    // MARK: Timer

    /// One timer at the queue's next deadline, replaced only by an earlier one.
    private func rescheduleTimer() {
        guard !queue.isStopping || queue.committing == nil, let deadline = queue.nextDeadline else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if let timerDeadline, timerDeadline <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            let now = eventLoop.now
            handle { queue.timerFired(now: now, wallMilliseconds: wallClock(), &$0) }
        }
    }
}
