/// A reason code (MQTT 5.0 §2.4) or, on a 3.1.1 connection, a CONNACK return code
/// (§3.2.2.3) or SUBACK return code (§3.9.3), kept as the byte that was sent.
///
/// A struct rather than an enum: a peer may send a code this version does not
/// know, and the uplink must still be able to report it.
public struct MQTTReasonCode: RawRepresentable, Sendable, Hashable {
    /// The byte on the wire.
    public var rawValue: UInt8
    /// Wraps the byte on the wire; every value is accepted.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Wraps the byte on the wire; every value is accepted.
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// Codes below 0x80 are successes (5.0 §2.4). For 3.1.1 CONNACK only 0 is.
    public var isSuccess: Bool { rawValue < 0x80 }

    /// 0x00 Success (5.0 §2.4).
    public static let success = MQTTReasonCode(0x00)
    /// 0x01 Granted QoS1 (5.0 §2.4).
    public static let grantedQoS1 = MQTTReasonCode(0x01)
    /// 0x02 Granted QoS2 (5.0 §2.4).
    public static let grantedQoS2 = MQTTReasonCode(0x02)
    /// 0x04 Disconnect with will (5.0 §2.4).
    public static let disconnectWithWill = MQTTReasonCode(0x04)
    /// 0x10 No matching subscribers (5.0 §2.4).
    public static let noMatchingSubscribers = MQTTReasonCode(0x10)
    /// 0x11 No subscription existed (5.0 §2.4).
    public static let noSubscriptionExisted = MQTTReasonCode(0x11)
    /// 0x80 Unspecified error (5.0 §2.4).
    public static let unspecifiedError = MQTTReasonCode(0x80)
    /// 0x81 Malformed packet (5.0 §2.4).
    public static let malformedPacket = MQTTReasonCode(0x81)
    /// 0x82 Protocol error (5.0 §2.4).
    public static let protocolError = MQTTReasonCode(0x82)
    /// 0x83 Implementation specific error (5.0 §2.4).
    public static let implementationSpecificError = MQTTReasonCode(0x83)
    /// 0x84 Unsupported protocol version (5.0 §2.4).
    public static let unsupportedProtocolVersion = MQTTReasonCode(0x84)
    /// 0x85 Client identifier not valid (5.0 §2.4).
    public static let clientIdentifierNotValid = MQTTReasonCode(0x85)
    /// 0x86 Bad user name or password (5.0 §2.4).
    public static let badUserNameOrPassword = MQTTReasonCode(0x86)
    /// 0x87 Not authorized (5.0 §2.4).
    public static let notAuthorized = MQTTReasonCode(0x87)
    /// 0x88 Server unavailable (5.0 §2.4).
    public static let serverUnavailable = MQTTReasonCode(0x88)
    /// 0x89 Server busy (5.0 §2.4).
    public static let serverBusy = MQTTReasonCode(0x89)
    /// 0x8A Banned (5.0 §2.4).
    public static let banned = MQTTReasonCode(0x8A)
    /// 0x8B Server shutting down (5.0 §2.4).
    public static let serverShuttingDown = MQTTReasonCode(0x8B)
    /// 0x8C Bad authentication method (5.0 §2.4).
    public static let badAuthenticationMethod = MQTTReasonCode(0x8C)
    /// 0x8D Keep alive timeout (5.0 §2.4).
    public static let keepAliveTimeout = MQTTReasonCode(0x8D)
    /// 0x8E Session taken over (5.0 §2.4).
    public static let sessionTakenOver = MQTTReasonCode(0x8E)
    /// 0x8F Topic filter invalid (5.0 §2.4).
    public static let topicFilterInvalid = MQTTReasonCode(0x8F)
    /// 0x90 Topic name invalid (5.0 §2.4).
    public static let topicNameInvalid = MQTTReasonCode(0x90)
    /// 0x91 Packet identifier in use (5.0 §2.4).
    public static let packetIdentifierInUse = MQTTReasonCode(0x91)
    /// 0x92 Packet identifier not found (5.0 §2.4).
    public static let packetIdentifierNotFound = MQTTReasonCode(0x92)
    /// 0x93 Receive maximum exceeded (5.0 §2.4).
    public static let receiveMaximumExceeded = MQTTReasonCode(0x93)
    /// 0x94 Topic alias invalid (5.0 §2.4).
    public static let topicAliasInvalid = MQTTReasonCode(0x94)
    /// 0x95 Packet too large (5.0 §2.4).
    public static let packetTooLarge = MQTTReasonCode(0x95)
    /// 0x96 Message rate too high (5.0 §2.4).
    public static let messageRateTooHigh = MQTTReasonCode(0x96)
    /// 0x97 Quota exceeded (5.0 §2.4).
    public static let quotaExceeded = MQTTReasonCode(0x97)
    /// 0x98 Administrative action (5.0 §2.4).
    public static let administrativeAction = MQTTReasonCode(0x98)
    /// 0x99 Payload format invalid (5.0 §2.4).
    public static let payloadFormatInvalid = MQTTReasonCode(0x99)
    /// 0x9A Retain not supported (5.0 §2.4).
    public static let retainNotSupported = MQTTReasonCode(0x9A)
    /// 0x9B QoS not supported (5.0 §2.4).
    public static let qosNotSupported = MQTTReasonCode(0x9B)
    /// 0x9C Use another server (5.0 §2.4).
    public static let useAnotherServer = MQTTReasonCode(0x9C)
    /// 0x9D Server moved (5.0 §2.4).
    public static let serverMoved = MQTTReasonCode(0x9D)
    /// 0x9E Shared subscriptions not supported (5.0 §2.4).
    public static let sharedSubscriptionsNotSupported = MQTTReasonCode(0x9E)
    /// 0x9F Connection rate exceeded (5.0 §2.4).
    public static let connectionRateExceeded = MQTTReasonCode(0x9F)
    /// 0xA0 Maximum connect time (5.0 §2.4).
    public static let maximumConnectTime = MQTTReasonCode(0xA0)
    /// 0xA1 Subscription identifiers not supported (5.0 §2.4).
    public static let subscriptionIdentifiersNotSupported = MQTTReasonCode(0xA1)
    /// 0xA2 Wildcard subscriptions not supported (5.0 §2.4).
    public static let wildcardSubscriptionsNotSupported = MQTTReasonCode(0xA2)
}
