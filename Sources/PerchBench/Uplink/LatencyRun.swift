import MQTTCodec
import NIOCore
import PerchCore
import Uplink

/// Publishes one QoS 1 message at a time with `Uplink.publish` and times each
/// from the call to its return (the broker's PUBACK): the round trip through
/// the uplink's event loop, the socket, TLS if any, and Mosquitto.
struct LatencyRun {
    let uplink: Uplink

    /// Every publish's duration, for `duration` of wall-clock time (at least one).
    func run(for duration: Duration) async throws -> [Duration] {
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: UplinkCase.payloadSize)
        let message = Message(topic: "bench/perch/latency", payload: payload, qos: .atLeastOnce)
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        var samples: [Duration] = []
        repeat {
            let sent = clock.now
            try await uplink.publish(message)
            samples.append(sent.duration(to: clock.now))
        } while clock.now < deadline
        return samples
    }
}
