/// Where one client is in its life cycle (MQTT-SN v1.2 §6.14, Figure 4: active,
/// asleep, awake, disconnected, lost), plus the will prompting of §6.2 before
/// the CONNACK.
public enum MQTTSNClientState: Sendable, Hashable {
    /// CONNECT with the Will flag arrived; the gateway is asking for the will (§6.2).
    case connecting
    /// Connected and supervised by its keep-alive (§6.11).
    case active
    /// Sent DISCONNECT with a duration: downlink is held (§6.14).
    case asleep
    /// Woke up with PINGREQ(client id): the held messages are being delivered (§6.14).
    case awake
    /// Sent DISCONNECT without a duration; only a clean-session-off client keeps
    /// its session in this state (§6.3).
    case disconnected
    /// Given up: keep-alive or sleep timer expired, or retransmissions exhausted
    /// (§6.11, §6.13); only a clean-session-off client keeps its session in this state.
    case lost

    /// True for the states that count against `maxClients` and map a peer to the client.
    public var isLive: Bool {
        switch self {
        case .connecting, .active, .asleep, .awake: return true
        case .disconnected, .lost: return false
        }
    }
}
