import CoAPServer
import GPIO
import Logging
import MQTTSNServer
import PerchCore
import ServiceLifecycle

/// A part that takes messages from the uplink's subscriptions: the MQTT-SN server,
/// the CoAP server (its observers and GET's last values), the GPIO pins (their command topics). `deliver` must not block:
/// each sink hops onto its own executor.
protocol DownlinkSink: Sendable {
    func deliver(_ message: Message)
}

extension MQTTSNServer: DownlinkSink {}

extension CoAPServer: DownlinkSink {}

extension GPIOService: DownlinkSink {}

/// The one consumer of `Uplink.downlink`: hands every message, in arrival order,
/// to every sink; each keeps only the ones its clients subscribed to.
struct DownlinkRouter: Service {
    let downlink: AsyncStream<Message>
    let sinks: [any DownlinkSink]
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown {
            for await message in downlink {
                for sink in sinks {
                    sink.deliver(message)
                }
            }
        }
        logger.debug("downlink router stopped")
    }
}
