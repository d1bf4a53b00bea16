/// A part of perchd that subscribes upstream on behalf of its own clients.
///
/// Each part already counts its clients per filter and asks for a filter when
/// its first client wants it, again when the QoS its clients need changes, and
/// lets it go after its last client; `SharedSubscriptions` combines the parts.
enum SubscriptionHolder: Hashable, Sendable, CustomStringConvertible {
    /// The MQTT-SN gateway (`SubscriptionTable`).
    case mqttsn
    /// The CoAP server's observers (`ObserverRegistry`).
    case coap
    /// The GPIO pins' command topics and Home Assistant's birth topic.
    case gpio

    var description: String {
        switch self {
        case .mqttsn: return "mqttsn"
        case .coap: return "coap"
        case .gpio: return "gpio"
        }
    }
}
