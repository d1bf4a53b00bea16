import Logging
import MQTTCodec
import NIOCore
import ServiceLifecycle

/// Publishes the gateway's status document, retained, on the status topic (SPEC §7).
///
/// When: each time the uplink (re)connects, and every `interval` while it stays
/// connected. A status published while the uplink is down could only be queued and
/// would arrive stale after the next connect, which publishes a fresh one anyway, so
/// disconnections are recorded (they show up as `reconnects` and `last_error` in the
/// next document) rather than queued. While Perch is down, the Last Will says
/// `{"state":"offline"}`; on a graceful stop the reporter leaves that same document
/// behind itself, because a clean DISCONNECT makes the broker discard the will.
public struct StatusReporter<C: Clock>: Service where C.Duration == Duration {
    /// What the reporter needs to know; built once from the configuration.
    public struct Configuration: Sendable {
        /// The status topic, `${gateway}` already substituted.
        public var topic: String
        /// How often to publish while connected.
        public var interval: Duration
        /// `gateway.id`.
        public var gateway: String
        /// Perch's version string.
        public var version: String
        /// How long a graceful stop waits for the broker to acknowledge the
        /// `offline` document before giving up on it.
        public var offlineTimeout: Duration
        /// `status.qos`: the documents' QoS (the uplink lowers it to what the broker allows).
        public var qos: MQTTQoS
        /// `status.retain`: the documents are retained (unless the broker has no retain).
        public var retain: Bool

        public init(
            topic: String, interval: Duration, gateway: String, version: String, offlineTimeout: Duration = .seconds(3),
            qos: MQTTQoS = .atLeastOnce, retain: Bool = true
        ) {
            self.topic = topic
            self.interval = interval
            self.gateway = gateway
            self.version = version
            self.offlineTimeout = offlineTimeout
            self.qos = qos
            self.retain = retain
        }
    }

    let configuration: Configuration
    private let publisher: any UpstreamPublishing
    private let uplinkStatus: AsyncStream<UplinkStatus>
    private let currentUplinkStatus: @Sendable () -> UplinkStatus
    private let mqttsnStatus: (@Sendable () async -> MQTTSNStatus?)?
    private let coapStatus: (@Sendable () async -> CoAPStatus?)?
    private let spoolStatus: (@Sendable () async -> SpoolStatus?)?
    private let gpioStatus: (@Sendable () async -> GPIOStatus?)?
    private let reloadStatus: (@Sendable () async -> ReloadStatus?)?
    private let control: StatusReporterControl?
    private let clock: C
    private let logger: Logger
    private let fallback = StatusFallback()

    /// - Parameters:
    ///   - uplinkStatus: the uplink's status changes; the reporter is their only reader.
    ///   - currentUplinkStatus: the uplink's status right now. Each document is built
    ///     from it rather than from the last change seen, so an interval that elapses
    ///     just after a disconnection never publishes a stale "connected".
    ///   - publisher: where the documents go (the uplink).
    ///   - mqttsnStatus: the MQTT-SN gateway's counters right now; `nil` (or a
    ///     closure returning `nil`) leaves the `mqttsn` section out.
    ///   - coapStatus: the CoAP server's counters right now, the same way.
    ///   - spoolStatus: the spool's section right now, the same way.
    ///   - gpioStatus: the pins and the chip right now (`gpio` and `gpio_info`),
    ///     the same way.
    ///   - reloadStatus: what the last reload did, the same way.
    ///   - control: where a new interval or a document out of turn comes from.
    public init(
        configuration: Configuration,
        publisher: any UpstreamPublishing,
        uplinkStatus: AsyncStream<UplinkStatus>,
        currentUplinkStatus: @escaping @Sendable () -> UplinkStatus,
        mqttsnStatus: (@Sendable () async -> MQTTSNStatus?)? = nil,
        coapStatus: (@Sendable () async -> CoAPStatus?)? = nil,
        spoolStatus: (@Sendable () async -> SpoolStatus?)? = nil,
        gpioStatus: (@Sendable () async -> GPIOStatus?)? = nil,
        reloadStatus: (@Sendable () async -> ReloadStatus?)? = nil,
        control: StatusReporterControl? = nil,
        clock: C,
        logger: Logger
    ) {
        self.configuration = configuration
        self.publisher = publisher
        self.uplinkStatus = uplinkStatus
        self.currentUplinkStatus = currentUplinkStatus
        self.mqttsnStatus = mqttsnStatus
        self.coapStatus = coapStatus
        self.spoolStatus = spoolStatus
        self.gpioStatus = gpioStatus
        self.reloadStatus = reloadStatus
        self.control = control
        self.clock = clock
        self.logger = logger
    }

    private enum Event: Sendable {
        case uplinkConnected
        case intervalElapsed
        case asked
    }

    public func run() async {
        let started = clock.now
        let (events, sink) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(16))
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await status in uplinkStatus where status.isConnected {
                        sink.yield(.uplinkConnected)
                    }
                }
                let (intervals, intervalSink) = AsyncStream<Duration>.makeStream(bufferingPolicy: .bufferingNewest(1))
                intervalSink.yield(configuration.interval)
                group.addTask {
                    // One timer at a time; a new interval replaces it at once,
                    // so a long old interval is not waited out.
                    var timer: Task<Void, Never>?
                    for await interval in intervals {
                        timer?.cancel()
                        timer = Task {
                            while (try? await clock.sleep(for: interval)) != nil {
                                sink.yield(.intervalElapsed)
                            }
                        }
                    }
                    timer?.cancel()
                }
                if let control {
                    group.addTask {
                        for await command in control.commands {
                            switch command {
                            case .interval(let interval): intervalSink.yield(interval)
                            case .publishNow: sink.yield(.asked)
                            }
                        }
                    }
                }
                for await _ in events {
                    let uplink = currentUplinkStatus()
                    guard uplink.isConnected else { continue }
                    let report = StatusReport(
                        state: .online,
                        gateway: configuration.gateway,
                        version: configuration.version,
                        uptimeSeconds: Self.seconds(started.duration(to: clock.now)),
                        uplink: uplink,
                        mqttsn: await mqttsnStatus?(),
                        coap: await coapStatus?(),
                        spool: await spoolStatus?(),
                        gpio: await gpioStatus?(),
                        reload: await reloadStatus?()
                    )
                    await publish(report)
                }
                group.cancelAll()
            }
        }
        await leaveOfflineDocument()
    }

    /// Publishes `report`.
    ///
    /// A document the broker refused for good (larger than its Maximum Packet
    /// Size, or one it closed the link over until it was taken out: a 3.1.1
    /// broker with a size limit it cannot announce) makes the reporter fall
    /// back to a smaller form, and stay there for the rest of the run, so that
    /// a refusal that costs the link is paid once, not every interval. The
    /// log says so once; and once more if not even the smallest fits.
    private func publish(_ report: StatusReport) async {
        // The smaller forms are built only once the broker refused the full one.
        var compactForms: [String] = []
        var level = fallback.level
        while level <= 2 {
            let text: String
            if level == 0 {
                text = report.jsonText()
            } else {
                if compactForms.isEmpty { compactForms = report.compactJSONTexts() }
                text = compactForms[level - 1]
            }
            do {
                try await publisher.publish(message(text))
                return
            } catch let refusal as MessageRefusal {
                level += 1
                fallback.lower(to: level)
                if level <= 2 {
                    logger.notice(
                        "the broker will not take the status document; publishing a smaller form from now on",
                        metadata: ["bytes": "\(text.utf8.count)", "error": "\(refusal)"]
                    )
                } else {
                    logger.error(
                        "the broker will not take even the smallest status document; no status is published",
                        metadata: ["error": "\(refusal)"]
                    )
                }
            } catch {
                logger.warning("could not publish the status", metadata: ["topic": "\(configuration.topic)", "error": "\(error)"])
                return
            }
        }
    }

    private func message(_ text: String) -> Message {
        Message(topic: configuration.topic, text: text, qos: configuration.qos, retain: configuration.retain)
    }

    /// Publishes `{"state":"offline"}` and waits, at most `offlineTimeout`, for the
    /// broker to take it.
    private func leaveOfflineDocument() async {
        let message = message(StatusReport.offlinePayload)
        let delivered = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                (try? await publisher.publish(message)) != nil
            }
            group.addTask {
                try? await clock.sleep(for: configuration.offlineTimeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !delivered {
            logger.notice("the offline status was not acknowledged before stopping; the broker keeps the last online one", metadata: ["topic": "\(configuration.topic)"])
        }
    }

    private static func seconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds)
    }
}
