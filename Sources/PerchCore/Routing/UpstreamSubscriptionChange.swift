import MQTTCodec

/// What the uplink must send so that the broker's subscriptions follow the
/// subscription table.
public enum UpstreamSubscriptionChange: Sendable, Hashable {
    /// SUBSCRIBE to the filter at this QoS. For a filter already subscribed this
    /// replaces its QoS rather than adding a second subscription
    /// (MQTT 3.1.1 §3.8.4, MQTT 5.0 §3.8.4).
    case subscribe(TopicFilter, qos: MQTTQoS)
    /// UNSUBSCRIBE from the filter: nobody local wants it any more.
    case unsubscribe(TopicFilter)

    /// The upstream filter the change is about.
    public var filter: TopicFilter {
        switch self {
        case .subscribe(let filter, _), .unsubscribe(let filter): return filter
        }
    }
}

/// One subscription the gateway holds at the broker: an upstream filter and the
/// highest QoS any local subscriber asked for on it.
public struct UpstreamSubscription: Sendable, Hashable {
    /// The upstream filter, mountpoint included.
    public var filter: TopicFilter
    /// The QoS to request from the broker.
    public var qos: MQTTQoS

    /// A subscription to `filter` at `qos`.
    public init(filter: TopicFilter, qos: MQTTQoS) {
        self.filter = filter
        self.qos = qos
    }
}
