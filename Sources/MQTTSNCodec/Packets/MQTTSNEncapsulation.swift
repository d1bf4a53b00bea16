/// A message relayed by a forwarder (MQTT-SN v1.2 §5.5): the forwarder's header
/// and the MQTT-SN message it carries.
public struct MQTTSNEncapsulation: Sendable, Hashable {
    /// The Radius bits of Ctrl (0…3): the broadcast radius, relevant from gateway to forwarder only.
    public var radius: UInt8
    /// Wireless Node Id: which wireless node sent, or is to receive, the message.
    public var wirelessNodeID: [UInt8]
    /// The encapsulated message; never itself an encapsulation.
    public var message: MQTTSNPacket

    /// Creates the encapsulation.
    public init(radius: UInt8 = 0, wirelessNodeID: [UInt8], message: MQTTSNPacket) {
        self.radius = radius
        self.wirelessNodeID = wirelessNodeID
        self.message = message
    }
}
