import Logging
import NIOCore
import NIOPosix
import PerchCore
import ServiceLifecycle

/// Store-and-forward between the listeners and the uplink (SPEC §5): every
/// upstream message from a sensor passes through here.
///
/// Online, a message goes straight to the uplink and is acknowledged to its
/// sender when the broker takes it; if the broker has not within half of
/// `commit_interval`, it is written to disk in the next group commit and the
/// sender is acknowledged then. Offline, messages wait in order, in memory up
/// to a budget and on disk beyond it, and drain oldest first when the link
/// returns. `Docs/spool.md` has the whole design.
///
/// All state lives on the uplink's event loop (a sender on that loop, the
/// MQTT-SN server, calls in with no hop); the disk work runs on a thread of
/// the spool's own, one call at a time.
public final class Spool: Service, Sendable {
    /// The loop the spool runs on: the uplink's.
    public let eventLoop: any EventLoop
    private let core: NIOLoopBoundBox<SpoolCore>
    private let threadPool: NIOThreadPool
    private let logger: Logger

    /// A spool resuming from `inventory` (what `store.inventory()` found at
    /// start), handing messages to `transport`.
    ///
    /// - Parameters:
    ///   - recoveredFrom: the damaged file moved aside at this start, if any, for the status.
    ///   - wallClock: milliseconds since the Unix epoch; tests pass their own.
    public init(
        policy: SpoolPolicy,
        store: any SpoolStoring,
        inventory: SpoolInventory,
        transport: any UpstreamTransport,
        logger: Logger,
        recoveredFrom: String? = nil,
        wallClock: @escaping @Sendable () -> Int64 = WallClock.unixMilliseconds
    ) {
        let eventLoop = transport.eventLoop
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        self.eventLoop = eventLoop
        self.threadPool = threadPool
        self.logger = logger
        self.core = NIOLoopBoundBox.makeBoxSendingValue(
            SpoolCore(
                queue: SpoolQueue(policy: policy, inventory: inventory),
                store: store,
                transport: transport,
                threadPool: threadPool,
                eventLoop: eventLoop,
                wallClock: wallClock,
                recoveredFrom: recoveredFrom,
                logger: logger
            ),
            eventLoop: eventLoop
        )
        if inventory.segments.contains(where: { $0.count > 0 }) {
            let messages = inventory.segments.reduce(0) { $0 + $1.count }
            logger.notice("spool resumes with messages from before the restart; they drain first", metadata: ["messages": "\(messages)"])
        }
        // Start draining what is on disk as soon as the loop runs.
        let core = self.core
        eventLoop.execute { core.value.start() }
    }

    /// Takes `message`; the future succeeds once it is safe (the broker has it,
    /// or it is on disk) and fails with a `SpoolRejection` if it is not kept.
    public func enqueue(_ message: Message) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        if eventLoop.inEventLoop {
            core.value.accept(message, sender: promise)
        } else {
            let core = self.core
            eventLoop.execute { core.value.accept(message, sender: promise) }
        }
        return promise.futureResult
    }

    /// Takes `message` with nobody to tell: QoS 0 and -1 from sensors, presence, wills.
    public func send(_ message: Message) {
        if eventLoop.inEventLoop {
            core.value.accept(message, sender: nil)
        } else {
            let core = self.core
            eventLoop.execute { core.value.accept(message, sender: nil) }
        }
    }

    /// Takes a new policy (`systemctl reload`): see `SpoolQueue.apply`.
    public func apply(_ policy: SpoolPolicy) async {
        let core = self.core
        try? await eventLoop.submit { core.value.apply(policy) }.get()
    }

    /// The `spool` section of the status document, now.
    public func status() async -> SpoolStatus? {
        let core = self.core
        return try? await eventLoop.submit { core.value.status() }.get()
    }

    /// Runs until the graceful shutdown; then writes everything not yet on disk.
    /// The spool stops last (it comes first in the service group), after the
    /// uplink has reported what it could not deliver.
    public func run() async throws {
        try? await gracefulShutdown()
        let core = self.core
        let stopped = try await eventLoop.flatSubmit { core.value.stop() }.get()
        if stopped.unwritten > 0 {
            logger.error(
                "spool stopped with messages it could not write to disk; they are lost",
                metadata: ["messages": "\(stopped.unwritten)"]
            )
        } else if stopped.held > 0 {
            logger.info("spool stopped; messages kept on disk for the next start", metadata: ["messages": "\(stopped.held)"])
        }
        try await threadPool.shutdownGracefully()
    }
}
