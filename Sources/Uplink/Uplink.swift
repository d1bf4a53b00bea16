import Logging
import MQTTCodec
import NIOCore
import PerchCore
import ServiceLifecycle
import Synchronization

/// The MQTT client that carries Perch's traffic to the upstream broker: one
/// connection over TCP or TLS, reconnected with back-off, with a Last Will,
/// keep-alive, a bounded in-flight window and subscriptions for the downlink.
///
/// A final class rather than an actor: all connection state must live on the
/// channel's event loop so that the channel handler reaches it synchronously;
/// an actor would add an executor hop per packet. The state sits in an
/// `UplinkCore` bound to that loop, and the public methods hop onto it.
public final class Uplink: Service, UpstreamPublishing, Sendable {
    /// The configuration the uplink was made with.
    public let configuration: Uplink.Configuration
    /// Messages the broker sends on the uplink's subscriptions, in arrival order.
    /// One consumer (the router); it ends when the uplink stops.
    public let downlink: AsyncStream<Message>

    /// The event loop that owns the connection. A component that publishes
    /// much (the MQTT-SN server) runs on it too, so that its calls need no hop.
    public let eventLoop: any EventLoop
    let logger: Logger
    let core: NIOLoopBoundBox<UplinkCore>
    private let statusBoard: StatusBoard
    private let requestCounter = Atomic<UInt64>(0)

    /// An uplink that will connect when `run()` is called. Connections use one
    /// event loop of `eventLoopGroup`; `logger` is used for everything it logs.
    public init(configuration: Uplink.Configuration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let eventLoop = eventLoopGroup.next()
        self.eventLoop = eventLoop
        let statusBoard = StatusBoard(broker: configuration.brokerDescription)
        self.statusBoard = statusBoard
        let (downlink, continuation) = AsyncStream.makeStream(of: Message.self)
        self.downlink = downlink
        let settings = UplinkStateMachine.Settings(
            connect: ConnectPacket(configuration: configuration),
            inFlightWindow: max(1, configuration.inFlightWindow),
            connectTimeout: configuration.connectTimeout.timeAmount,
            endpoint: configuration.endpoint,
            drainTimeout: configuration.shutdownDrainTimeout.timeAmount,
            maximumPacketSize: configuration.maximumPacketSize
        )
        self.core = NIOLoopBoundBox.makeBoxSendingValue(
            UplinkCore(
                settings: settings,
                brokerDescription: configuration.brokerDescription,
                eventLoop: eventLoop,
                statusBoard: statusBoard,
                downlink: continuation,
                logger: logger
            ),
            eventLoop: eventLoop
        )
    }

    /// The connection state right now.
    public var status: UplinkStatus {
        statusBoard.current
    }

    /// A stream that yields the current status, then every change: connected,
    /// disconnected, and each failed attempt with `lastError` set. Each call
    /// makes a new stream; it ends when the uplink stops.
    public func statusChanges() -> AsyncStream<UplinkStatus> {
        statusBoard.makeStream()
    }

    /// Sends `message` upstream; see `UpstreamPublishing.publish(_:)`. Messages
    /// leave in the order of the calls; while the link is down or the in-flight
    /// window is full they wait in that order. Throws `UplinkError`, or
    /// `CancellationError` when the task is cancelled (a message not yet sent
    /// is then dropped).
    public func publish(_ message: Message) async throws {
        let request = makeRequestID()
        let accepted = enqueue(message, request: request)
        try await waitCancellably(for: accepted, request: request)
    }

    /// Queues `message` at once and returns a future that completes when
    /// `publish(_:)` would return. Successive calls from one task keep their
    /// order without awaiting each other: this is how a queue (the spool) keeps
    /// a window of messages in flight.
    public func enqueue(_ message: Message) -> EventLoopFuture<Void> {
        enqueue(message, request: makeRequestID())
    }

    /// Subscribes to `filter` and returns the QoS the broker granted. The
    /// subscription is restored after every reconnect that finds no session.
    /// Waits while the link is down. Throws `UplinkError` when refused.
    public func subscribe(_ filter: String, qos: MQTTQoS) async throws -> MQTTQoS {
        let request = makeRequestID()
        let promise = eventLoop.makePromise(of: MQTTQoS.self)
        let core = self.core
        eventLoop.execute { core.value.subscribe(filter, qos: qos, request: request, promise: promise) }
        return try await waitCancellably(for: promise.futureResult, request: request)
    }

    /// Removes the subscription to `filter`. Waits while the link is down.
    public func unsubscribe(_ filter: String) async throws {
        let request = makeRequestID()
        let promise = eventLoop.makePromise(of: Void.self)
        let core = self.core
        eventLoop.execute { core.value.unsubscribe(filter, request: request, promise: promise) }
        try await waitCancellably(for: promise.futureResult, request: request)
    }

    /// Queues `message` like `enqueue(_:)` but with no future to complete: for
    /// QoS 0 traffic whose sender waits for nothing (MQTT-SN QoS 0 and -1), it
    /// saves a promise, a callback and a table entry per message.
    public func send(_ message: Message) {
        if eventLoop.inEventLoop {
            core.value.publish(message, request: nil, promise: nil)
        } else {
            let core = self.core
            eventLoop.execute { core.value.publish(message, request: nil, promise: nil) }
        }
    }

    private func enqueue(_ message: Message, request: RequestID) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        // A caller already on the uplink's loop (the MQTT-SN server shares it)
        // goes straight in: order is kept, since everything that caller queued
        // before went the same way, and a task hop per message is saved.
        if eventLoop.inEventLoop {
            core.value.publish(message, request: request, promise: promise)
        } else {
            let core = self.core
            eventLoop.execute { core.value.publish(message, request: request, promise: promise) }
        }
        return promise.futureResult
    }

    private func makeRequestID() -> RequestID {
        RequestID(rawValue: requestCounter.add(1, ordering: .relaxed).newValue)
    }

    private func waitCancellably<Value: Sendable>(for future: EventLoopFuture<Value>, request: RequestID) async throws -> Value {
        let core = self.core
        let eventLoop = self.eventLoop
        return try await withTaskCancellationHandler {
            try await future.get()
        } onCancel: {
            eventLoop.execute { core.value.cancel(request) }
        }
    }
}
