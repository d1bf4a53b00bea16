import NIOCore

/// The properties of an MQTT 5.0 packet (§2.2.2), one optional field per
/// property identifier. On a 3.1.1 connection every field stays empty.
///
/// A property that may appear only once is an optional; User Property and
/// Subscription Identifier may repeat and are arrays, kept in wire order.
public struct MQTTProperties: Sendable, Equatable {
    /// 0x01, PUBLISH and Will.
    public var payloadFormatIndicator: UInt8?
    /// 0x02, PUBLISH and Will, seconds.
    public var messageExpiryInterval: UInt32?
    /// 0x03, PUBLISH and Will.
    public var contentType: String?
    /// 0x08, PUBLISH and Will.
    public var responseTopic: String?
    /// 0x09, PUBLISH and Will.
    public var correlationData: [UInt8]?
    /// 0x0B, PUBLISH (from the server, may repeat) and SUBSCRIBE (once).
    public var subscriptionIdentifiers: [UInt32] = []
    /// 0x11, CONNECT, CONNACK, DISCONNECT, seconds.
    public var sessionExpiryInterval: UInt32?
    /// 0x12, CONNACK.
    public var assignedClientIdentifier: String?
    /// 0x13, CONNACK, seconds.
    public var serverKeepAlive: UInt16?
    /// 0x15, CONNECT, CONNACK, AUTH.
    public var authenticationMethod: String?
    /// 0x16, CONNECT, CONNACK, AUTH.
    public var authenticationData: [UInt8]?
    /// 0x17, CONNECT.
    public var requestProblemInformation: UInt8?
    /// 0x18, Will, seconds.
    public var willDelayInterval: UInt32?
    /// 0x19, CONNECT.
    public var requestResponseInformation: UInt8?
    /// 0x1A, CONNACK.
    public var responseInformation: String?
    /// 0x1C, CONNACK, DISCONNECT.
    public var serverReference: String?
    /// 0x1F, CONNACK, PUBACK…PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH.
    public var reasonString: String?
    /// 0x21, CONNECT, CONNACK: how many QoS 1/2 PUBLISH may be unacknowledged.
    public var receiveMaximum: UInt16?
    /// 0x22, CONNECT, CONNACK.
    public var topicAliasMaximum: UInt16?
    /// 0x23, PUBLISH.
    public var topicAlias: UInt16?
    /// 0x24, CONNACK.
    public var maximumQoS: UInt8?
    /// 0x25, CONNACK.
    public var retainAvailable: UInt8?
    /// 0x26, every packet that has properties; may repeat, order kept.
    public var userProperties: [UserProperty] = []
    /// 0x27, CONNECT, CONNACK.
    public var maximumPacketSize: UInt32?
    /// 0x28, CONNACK.
    public var wildcardSubscriptionAvailable: UInt8?
    /// 0x29, CONNACK.
    public var subscriptionIdentifiersAvailable: UInt8?
    /// 0x2A, CONNACK.
    public var sharedSubscriptionAvailable: UInt8?

    /// A User Property name/value pair (§3.1.2.11.8).
    public struct UserProperty: Sendable, Equatable {
        /// The name, any UTF-8 string.
        public var name: String
        /// The value, any UTF-8 string.
        public var value: String
        /// Creates a name/value pair.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// An empty property list.
    public init() {}

    /// True when no property is set (what a 3.1.1 packet must carry).
    public var isEmpty: Bool { self == MQTTProperties() }
}
