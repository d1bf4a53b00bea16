import Logging
import MQTTSNServer
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import ServiceLifecycle
import Uplink

/// A real Mosquitto, the real `Uplink` in process, and the MQTT-SN server under
/// test, sharing one single-loop group as in perchd.
struct ServerHarness: Sendable {
    static let mountpoint = "t/"
    static let wait = Duration.seconds(10)

    let broker: MosquittoFixture
    let uplink: Uplink
    let server: MQTTSNServer
    let group: MultiThreadedEventLoopGroup
    let serviceGroup: ServiceGroup
    let running: Task<Void, any Error>
    let addresses: [SocketAddress]

    static func start(
        listen: [ListenAddress] = [.init(host: "127.0.0.1", port: 0)],
        store: (any MQTTSNClientStoring)? = nil,
        storeInterval: Duration = .milliseconds(20),
        broker existingBroker: MosquittoFixture? = nil
    ) async throws -> ServerHarness {
        let broker: MosquittoFixture
        if let existingBroker { broker = existingBroker } else { broker = try await MosquittoFixture.start() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let logger = Logger(label: "test")
        let uplink = Uplink(
            configuration: Uplink.Configuration(
                host: broker.host, port: broker.port, clientID: "perch-test-" + String(UInt32.random(in: 0...UInt32.max), radix: 36),
                cleanStart: true, reconnect: .init(minimum: .milliseconds(100), maximum: .milliseconds(500))
            ),
            eventLoopGroup: group,
            logger: logger
        )
        var gateway = MQTTSNGatewayConfiguration(mountpoint: try Mountpoint(mountpoint))
        gateway.predefinedTopics = try PredefinedTopics([7: "sensors/predefined"])
        let server = MQTTSNServer(
            configuration: .init(listen: listen, receiveBufferSize: 1 << 20, storeInterval: storeInterval, gateway: gateway),
            upstream: uplink,
            store: store,
            eventLoopGroup: group,
            logger: logger
        )
        let router = TestDownlinkRouter(downlink: uplink.downlink, server: server)
        let serviceGroup = ServiceGroup(configuration: .init(
            services: [.init(service: uplink), .init(service: server), .init(service: router)],
            logger: logger
        ))
        let running = Task { try await serviceGroup.run() }
        let statuses = uplink.statusChanges()
        try await withTimeout(wait, waitingFor: "the uplink to connect") {
            for await status in statuses where status.isConnected { return }
        }
        let addresses = try await withTimeout(wait, waitingFor: "the listeners") { try await server.listeningAddresses() }
        return ServerHarness(
            broker: broker, uplink: uplink, server: server, group: group,
            serviceGroup: serviceGroup, running: running, addresses: addresses
        )
    }

    func client(_ index: Int = 0) async throws -> MQTTSNTestClient {
        try await MQTTSNTestClient.make(talkingTo: addresses[index], group: group)
    }

    /// Stops the services (the server first), and the broker unless it is kept.
    func stop(keepingBroker: Bool = false) async {
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await running.value
        try? await group.shutdownGracefully()
        if !keepingBroker { await broker.shutdown() }
    }
}

/// What PerchDaemon's downlink router does, for the one sink under test.
struct TestDownlinkRouter: Service {
    let downlink: AsyncStream<Message>
    let server: MQTTSNServer

    func run() async {
        await cancelWhenGracefulShutdown {
            for await message in downlink { server.deliver(message) }
        }
    }
}
