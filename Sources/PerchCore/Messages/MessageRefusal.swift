/// Why a message was refused for good: sending it again cannot help, so a
/// sensor is answered with a permanent code (MQTT-SN "not supported" 0x03;
/// CoAP 4.13 or 5.02), never "congestion" or 5.03, which invite a retry.
public enum MessageRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// Its PUBLISH would be larger than the broker takes (its Maximum Packet
    /// Size, MQTT 5.0 §3.2.2.3.6, or `uplink.max_packet_size`).
    case tooLarge(topic: String, size: Int, maximum: Int)
    /// The broker refused it (a reason code), or closed the link over it until
    /// it was taken out; the words say which.
    case refusedUpstream(String)

    public var description: String {
        switch self {
        case .tooLarge(let topic, let size, let maximum):
            return "message on \(topic) is \(size) bytes as an MQTT PUBLISH, more than the broker's maximum packet size of \(maximum)"
        case .refusedUpstream(let reason):
            return reason
        }
    }
}
