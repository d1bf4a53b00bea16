import Logging
import MQTTSNServer
import NIOPosix
import PerchConfig
import PerchCore
import ServiceLifecycle
import Storage
import Uplink

/// The running gateway: every part built from one configuration and run as a
/// swift-service-lifecycle `ServiceGroup` until SIGTERM or SIGINT.
///
/// Order matters. Services start in array order and stop in reverse, each one
/// finishing before the next is told to stop: the status reporter stops before
/// the uplink, so its `offline` document goes out on a live connection and the
/// uplink's DISCONNECT comes last.
struct Daemon {
    let configuration: PerchConfiguration
    let configurationPath: String
    let environment: [String: String]
    let logger: Logger

    func run() async throws {
        // One event loop is plenty for a gateway's traffic and keeps every
        // connection's state on a single thread.
        let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

        let uplink = Uplink(
            configuration: configuration.makeUplinkConfiguration(),
            eventLoopGroup: eventLoopGroup,
            logger: Logger(label: "uplink")
        )
        let mqttsnServer = try configuration.makeMQTTSNServerConfiguration().map { serverConfiguration in
            // SPEC §3: registrations and subscriptions survive a restart, in
            // {gateway.state_dir}/perch.db. A state directory that cannot be
            // opened stops perchd here, with the reason, before anything binds.
            let store = try SQLiteMQTTSNClientStore(
                stateDirectory: configuration.gateway.stateDirectory,
                logger: Logger(label: "storage")
            )
            return MQTTSNServer(
                configuration: serverConfiguration,
                upstream: uplink,
                store: store,
                eventLoopGroup: eventLoopGroup,
                logger: Logger(label: "mqttsn")
            )
        }
        let statusReporter = StatusReporter(
            configuration: .init(
                topic: configuration.status.topic,
                interval: configuration.status.interval,
                gateway: configuration.gateway.id,
                version: PerchVersion.current
            ),
            publisher: uplink,
            uplinkStatus: uplink.statusChanges(),
            currentUplinkStatus: { uplink.status },
            mqttsnStatus: mqttsnServer.map { server in
                { @Sendable in
                    guard let statistics = try? await server.statistics() else { return nil }
                    return MQTTSNStatus(statistics.gateway, kernelDrops: statistics.kernelDrops)
                }
            },
            clock: ContinuousClock(),
            logger: Logger(label: "status")
        )

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: uplink)]
        var readiness: [@Sendable () async throws -> Void] = []
        var sinks: [any DownlinkSink] = []
        if let mqttsnServer {
            services.append(.init(service: mqttsnServer))
            readiness.append { _ = try await mqttsnServer.listeningAddresses() }
            sinks.append(mqttsnServer)
        }
        services += [
            .init(service: statusReporter),
            .init(service: DownlinkRouter(downlink: uplink.downlink, sinks: sinks, logger: logger)),
            .init(service: ReloadService(configurationPath: configurationPath, logger: logger)),
            .init(service: SystemdLifecycle(
                notifier: SystemdNotifier(environment: environment),
                readiness: readiness,
                logger: logger
            )),
        ]
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)

        logger.info("perchd \(PerchVersion.current) starting", metadata: [
            "gateway": "\(configuration.gateway.id)",
            "broker": "\(configuration.uplink.url)",
            "status_topic": "\(configuration.status.topic)",
        ])
        do {
            try await group.run()
        } catch {
            logger.error("perchd stopped on an error", metadata: ["error": "\(error)"])
            try? await eventLoopGroup.shutdownGracefully()
            throw error
        }
        try? await eventLoopGroup.shutdownGracefully()
        logger.info("perchd stopped")
    }
}
