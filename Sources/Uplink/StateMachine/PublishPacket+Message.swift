import MQTTCodec
import PerchCore

extension PublishPacket {
    /// The PUBLISH that carries `message` on a connection of `version`; no packet
    /// id yet. Content type and expiry become MQTT 5 properties
    /// (§3.3.2.3.9, §3.3.2.3.3) and are dropped on 3.1.1, which has no place for them.
    init(_ message: Message, version: MQTTProtocolVersion) {
        var properties = MQTTProperties()
        if version == .v5 {
            properties.contentType = message.contentType
            properties.messageExpiryInterval = message.expiry.map(Self.expirySeconds)
        }
        self.init(topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain, properties: properties)
    }

    /// The message this PUBLISH from the broker carries.
    var message: Message {
        Message(
            topic: topic,
            payload: payload,
            qos: qos,
            retain: retain,
            contentType: properties.contentType,
            expiry: properties.messageExpiryInterval.map { .seconds(Int64($0)) }
        )
    }

    /// Whole seconds, rounded up so that a short expiry does not become 0
    /// ("expires now"); clamped to the field's range.
    private static func expirySeconds(_ expiry: Duration) -> UInt32 {
        let (seconds, attoseconds) = expiry.components
        guard seconds >= 0 else { return 0 }
        let rounded = attoseconds > 0 ? seconds + 1 : seconds
        return UInt32(clamping: rounded)
    }
}
