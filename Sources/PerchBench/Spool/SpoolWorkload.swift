import MQTTCodec
import NIOCore
import PerchCore

/// The messages the spool benchmark appends: 64-byte payloads on the topics of
/// a greenhouse of sensor nodes, as they reach the spool (mountpoint included).
enum SpoolWorkload {
    /// Bytes per payload.
    static let payloadSize = 64

    /// `count` messages cycling through 50 nodes × 4 quantities, QoS 1.
    static func messages(count: Int) -> [Message] {
        let quantities = ["temperature", "humidity", "soil_moisture", "battery"]
        let payload = ByteBuffer(bytes: (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        return (0..<count).map { index in
            let node = index / quantities.count % 50
            return Message(
                topic: "site/greenhouse-pi/sensors/node-\(node)/\(quantities[index % quantities.count])",
                payload: payload, qos: .atLeastOnce)
        }
    }
}
