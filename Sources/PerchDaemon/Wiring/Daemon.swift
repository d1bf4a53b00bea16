import CoAPServer
import MQTTCodec
import GPIO
import Logging
import MQTTSNServer
import NIOPosix
import PerchConfig
import PerchCore
import ServiceLifecycle
import Spool
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
    let logLevel: LogLevelControl
    let logger: Logger

    /// Runs the gateway until SIGTERM or SIGINT. On an error it logs one line
    /// saying why (`DaemonFailure`: a bind failure names the address) and
    /// throws it.
    func run() async throws {
        do {
            try await serve()
        } catch {
            logger.error("\(DaemonFailure(error, coapDTLSListen: configuration.coap.dtls?.listen ?? []))")
            throw error
        }
    }

    private func serve() async throws {
        // One perchd per state directory, held until the process ends.
        try PerchDatabase.createStateDirectory(configuration.gateway.stateDirectory)
        let stateLock = try StateDirectoryLock(stateDirectory: configuration.gateway.stateDirectory)
        defer { withExtendedLifetime(stateLock) {} }
        // One event loop is plenty for a gateway's traffic and keeps every
        // connection's state on a single thread.
        let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

        let uplink = Uplink(
            configuration: configuration.makeUplinkConfiguration(),
            eventLoopGroup: eventLoopGroup,
            logger: Logger(label: "uplink")
        )
        let spool = try openSpool(transport: uplink)
        // One count per filter across MQTT-SN and CoAP: neither may drop a
        // subscription the other still holds.
        let subscriptions = SharedSubscriptions(upstream: uplink)
        let upstream = SpooledUpstream(spool: spool, subscriptions: subscriptions)
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
                upstream: upstream,
                store: store,
                eventLoopGroup: eventLoopGroup,
                logger: Logger(label: "mqttsn")
            )
        }
        let coapServer = try configuration.makeCoAPServerConfiguration().map { serverConfiguration in
            CoAPServer(
                configuration: serverConfiguration,
                upstream: CoAPSpooledUpstream(spool: spool, subscriptions: subscriptions),
                logger: Logger(label: "coap")
            )
        }
        let gpioService = configuration.makeGPIOServiceConfiguration().map { gpioConfiguration in
            GPIOService(
                configuration: gpioConfiguration,
                openChip: { [controlPath = configuration.simulatedGPIOControlPath] () throws(GPIOError) in
                    try GPIOChips.open(gpioConfiguration.chip, simulatedControlPath: controlPath, logger: Logger(label: "gpio"))
                },
                upstream: GPIOSpooledUpstream(spool: spool, subscriptions: subscriptions),
                eventLoop: eventLoopGroup.next(),
                logger: Logger(label: "gpio")
            )
        }
        let statusControl = StatusReporterControl()
        let reloadState = ReloadState()
        let statusReporter = StatusReporter(
            configuration: .init(
                topic: configuration.status.topic,
                interval: configuration.status.interval,
                gateway: configuration.gateway.id,
                version: PerchVersion.current,
                qos: MQTTQoS(rawValue: UInt8(clamping: configuration.status.qos)) ?? .atLeastOnce,
                retain: configuration.status.retain
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
            coapStatus: coapServer.map { server in
                { @Sendable in
                    let statistics = await server.statistics()
                    return CoAPStatus(requests: statistics.requests, observers: statistics.observers, invalid: statistics.invalid)
                }
            },
            spoolStatus: { await spool.status() },
            gpioStatus: gpioService.map { service in { @Sendable in service.status } },
            reloadStatus: { reloadState.current },
            control: statusControl,
            clock: ContinuousClock(),
            logger: Logger(label: "status")
        )

        // The spool first, so that it stops last: after the uplink has said what
        // it could not deliver, it writes everything not yet on disk.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: spool), .init(service: uplink)]
        var readiness: [@Sendable () async throws -> Void] = []
        var sinks: [any DownlinkSink] = []
        if let mqttsnServer {
            services.append(.init(service: mqttsnServer))
            readiness.append { _ = try await mqttsnServer.listeningAddresses() }
            sinks.append(mqttsnServer)
        }
        if let coapServer {
            // After MQTT-SN, so it stops before it; both stop before the uplink and the spool.
            services.append(.init(service: coapServer))
            readiness.append { _ = try await coapServer.listeningAddresses() }
            sinks.append(coapServer)
        }
        if let gpioService {
            // Stops before the listeners, while the uplink still carries the
            // state messages of `on_exit`.
            services.append(.init(service: gpioService))
            sinks.append(gpioService)
        }
        // What SIGHUP applies live; `restartOnlyChanges` names the rest.
        var reloadableParts: [any ReloadablePart] = [
            LogLevelReload(control: logLevel),
            StatusIntervalReload(control: statusControl),
            SpoolPolicyReload(spool: spool),
        ]
        if let mqttsnServer { reloadableParts.append(MQTTSNGatewayReload(server: mqttsnServer)) }
        if let coapServer { reloadableParts.append(CoAPResourcesReload(server: coapServer)) }
        if let gpioService { reloadableParts.append(GPIOPinsReload(service: gpioService)) }

        // The watchdog pings only while every executor runs its own jobs: the
        // one event loop (uplink, spool, MQTT-SN, GPIO) and CoAP's queue.
        let eventLoop = eventLoopGroup.next()
        var executors = [SystemdWatchdog.Executor(name: "event loop") { job in eventLoop.execute(job) }]
        if let coapServer { executors.append(.init(name: "coap queue") { job in coapServer.runOnQueue(job) }) }

        let notifier = SystemdNotifier(environment: environment)
        services += [
            .init(service: statusReporter),
            .init(service: DownlinkRouter(downlink: uplink.downlink, sinks: sinks, logger: logger)),
            .init(service: ReloadService(
                configurationPath: configurationPath,
                initial: configuration,
                parts: reloadableParts,
                notifier: notifier,
                state: reloadState,
                statusControl: statusControl,
                logger: logger
            )),
            .init(service: SystemdLifecycle(notifier: notifier, readiness: readiness, logger: logger)),
        ]
        // Only under a unit with WatchdogSec=: a service that returns would end the group.
        let watchdog = SystemdWatchdog(notifier: notifier, environment: environment, executors: executors, logger: logger)
        if watchdog.interval != nil { services.append(.init(service: watchdog)) }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger.forServiceGroup
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
            try? await eventLoopGroup.shutdownGracefully()
            throw error
        }
        try? await eventLoopGroup.shutdownGracefully()
        logger.info("perchd stopped")
    }

    /// Opens the spool on `{state_dir}/perch.db`. A damaged file is moved aside
    /// first (and reported), so that a corrupt database never keeps perchd from
    /// starting; a state directory that cannot be used at all stops perchd here.
    private func openSpool(transport: Uplink) throws -> Spool {
        let stateDirectory = configuration.gateway.stateDirectory
        let recovery = try PerchDatabase.prepare(stateDirectory: stateDirectory)
        if let recovery {
            logger.error(
                "the state database was damaged and has been moved aside; Perch starts with a fresh one",
                metadata: ["moved_to": "\(recovery.movedAsidePath)", "reason": "\(recovery.reason)"]
            )
        }
        let store = try SQLiteSpoolStore(stateDirectory: stateDirectory, logger: Logger(label: "storage"))
        let inventory = try store.inventory()
        return Spool(
            policy: configuration.makeSpoolPolicy(),
            store: store,
            inventory: inventory,
            transport: transport,
            logger: Logger(label: "spool"),
            recoveredFrom: recovery?.movedAsidePath
        )
    }
}
