import Logging
import NIOCore
import NIOPosix
import PerchCore
import ServiceLifecycle
import Synchronization

/// The MQTT-SN v1.2 gateway's UDP shell (SPEC §3): listeners on every configured
/// address, IPv4 and IPv6 at once, feeding one `MQTTSNGateway` state machine and
/// carrying out its actions — replies to sensors, publishes and subscriptions on
/// the one uplink, and the clients' records in the store.
///
/// Everything per message runs on one event loop that owns the state machine and
/// every listener's channel, so the hot path takes no lock. The public methods
/// hop onto that loop.
public final class MQTTSNServer: Service, Sendable {
    /// The configuration the server was made with.
    public let configuration: Configuration

    let eventLoop: any EventLoop
    let engine: NIOLoopBoundBox<GatewayEngine>
    let upstream: any MQTTSNUpstream
    let store: (any MQTTSNClientStoring)?
    let subscriptions: SubscriptionQueue
    let threadPool: NIOThreadPool
    let listening = ListeningState<SocketAddress, MQTTSNServerError>()
    let receiveBuffer = Atomic<Int>(0)
    /// The kernel's drop count as last read; `nil` until it has been.
    let lastKernelDrops = Mutex<UInt64?>(nil)
    let logger: Logger

    /// A server that binds its listeners when `run()` is called.
    ///
    /// - Parameters:
    ///   - upstream: where publishes and subscriptions go (the uplink).
    ///   - store: where client records persist; `nil` keeps them in memory only.
    ///   - eventLoopGroup: the server uses one loop of it for everything; share
    ///     the uplink's single-loop group so that a publish never changes thread.
    public init(
        configuration: Configuration,
        upstream: any MQTTSNUpstream,
        store: (any MQTTSNClientStoring)?,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) {
        self.configuration = configuration
        self.upstream = upstream
        self.store = store
        self.logger = logger
        let eventLoop = eventLoopGroup.next()
        self.eventLoop = eventLoop
        let subscriptions = SubscriptionQueue()
        self.subscriptions = subscriptions
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        self.threadPool = threadPool
        let advertiseAddress = configuration.advertiseAddress.flatMap { try? Self.resolve($0) }
        let records = store.map {
            RecordWriter(store: $0, threadPool: threadPool, eventLoop: eventLoop, interval: configuration.storeInterval, logger: logger)
        }
        let engine = GatewayEngine(
            gateway: GatewayEngine.Gateway(configuration: configuration.gateway, logger: logger),
            eventLoop: eventLoop,
            upstream: upstream,
            subscriptions: subscriptions,
            records: records,
            advertiseAddress: advertiseAddress,
            logger: logger
        )
        self.engine = NIOLoopBoundBox.makeBoxSendingValue(engine, eventLoop: eventLoop)
    }

    /// Hands a message from the uplink's subscriptions to the gateway, which
    /// delivers it to every client subscribed (or holds it for a sleeping one).
    public func deliver(_ message: Message) {
        let engine = self.engine
        eventLoop.execute { engine.value.downlink(message) }
    }

    /// Takes the live settings of `gateway` (`systemctl reload`): the allow-list,
    /// predefined topics, limits, retransmission and ADVERTISE interval (see
    /// `MQTTSNGateway.reconfigure`). Returns the keys that changed.
    public func reconfigure(_ gateway: MQTTSNGatewayConfiguration) async throws -> [String] {
        let engine = self.engine
        return try await eventLoop.submit { engine.value.reconfigure(gateway).map(\.rawValue) }.get()
    }

    /// Waits until every listener is bound and returns their local addresses (with
    /// the ports chosen, where 0 was asked); throws when binding failed.
    public func listeningAddresses() async throws -> [SocketAddress] {
        try await listening.wait()
    }

    /// The counters for the status document, read on the loop, plus the kernel's
    /// drop count for our ports.
    ///
    /// Waits until every listener is bound, so that the first document after a
    /// start (published when the uplink connects, which may be sooner) counts the
    /// clients restored from the store and carries `kernel_drops`: every document
    /// has the same keys (issue 20 item 10). Throws when binding failed. Once the
    /// kernel's count has been read, a later read that fails (the server
    /// stopping) reports the last one rather than leaving the key out.
    public func statistics() async throws -> MQTTSNServerStatistics {
        let addresses = try await listening.wait()
        let engine = self.engine
        let gateway = try await eventLoop.submit { engine.value.statistics }.get()
        var statistics = MQTTSNServerStatistics(gateway: gateway)
        let ports = Set(addresses.compactMap(\.port))
        let read = await KernelUDPDrops.read(localPorts: ports, threadPool: threadPool)
        statistics.kernelDrops = lastKernelDrops.withLock { last in
            if let read { last = read }
            return last
        }
        statistics.receiveBufferSize = receiveBuffer.load(ordering: .relaxed)
        return statistics
    }

    /// A numeric address as is; a host name resolved (once, at start).
    static func resolve(_ endpoint: ListenAddress) throws(MQTTSNServerError) -> SocketAddress {
        if let address = try? SocketAddress(ipAddress: endpoint.host, port: endpoint.port) {
            return address
        }
        do {
            return try SocketAddress.makeAddressResolvingHost(endpoint.host, port: endpoint.port)
        } catch {
            throw .invalidAddress(endpoint.description, reason: "\(error)")
        }
    }
}
