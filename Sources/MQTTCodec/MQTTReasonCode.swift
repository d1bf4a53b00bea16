/// A reason code (MQTT 5.0 §2.4) or, on a 3.1.1 connection, a CONNACK return code
/// (§3.2.2.3) or SUBACK return code (§3.9.3), kept as the byte that was sent.
///
/// A struct rather than an enum: a peer may send a code this version does not
/// know, and the uplink must still be able to report it.
public struct MQTTReasonCode: RawRepresentable, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// Codes below 0x80 are successes (5.0 §2.4). For 3.1.1 CONNACK only 0 is.
    public var isSuccess: Bool { rawValue < 0x80 }

    public static let success = MQTTReasonCode(0x00)
    public static let grantedQoS1 = MQTTReasonCode(0x01)
    public static let grantedQoS2 = MQTTReasonCode(0x02)
    public static let disconnectWithWill = MQTTReasonCode(0x04)
    public static let noMatchingSubscribers = MQTTReasonCode(0x10)
    public static let noSubscriptionExisted = MQTTReasonCode(0x11)
    public static let unspecifiedError = MQTTReasonCode(0x80)
    public static let malformedPacket = MQTTReasonCode(0x81)
    public static let protocolError = MQTTReasonCode(0x82)
    public static let implementationSpecificError = MQTTReasonCode(0x83)
    public static let unsupportedProtocolVersion = MQTTReasonCode(0x84)
    public static let clientIdentifierNotValid = MQTTReasonCode(0x85)
    public static let badUserNameOrPassword = MQTTReasonCode(0x86)
    public static let notAuthorized = MQTTReasonCode(0x87)
    public static let serverUnavailable = MQTTReasonCode(0x88)
    public static let serverBusy = MQTTReasonCode(0x89)
    public static let banned = MQTTReasonCode(0x8A)
    public static let serverShuttingDown = MQTTReasonCode(0x8B)
    public static let badAuthenticationMethod = MQTTReasonCode(0x8C)
    public static let keepAliveTimeout = MQTTReasonCode(0x8D)
    public static let sessionTakenOver = MQTTReasonCode(0x8E)
    public static let topicFilterInvalid = MQTTReasonCode(0x8F)
    public static let topicNameInvalid = MQTTReasonCode(0x90)
    public static let packetIdentifierInUse = MQTTReasonCode(0x91)
    public static let packetIdentifierNotFound = MQTTReasonCode(0x92)
    public static let receiveMaximumExceeded = MQTTReasonCode(0x93)
    public static let topicAliasInvalid = MQTTReasonCode(0x94)
    public static let packetTooLarge = MQTTReasonCode(0x95)
    public static let messageRateTooHigh = MQTTReasonCode(0x96)
    public static let quotaExceeded = MQTTReasonCode(0x97)
    public static let administrativeAction = MQTTReasonCode(0x98)
    public static let payloadFormatInvalid = MQTTReasonCode(0x99)
    public static let retainNotSupported = MQTTReasonCode(0x9A)
    public static let qosNotSupported = MQTTReasonCode(0x9B)
    public static let useAnotherServer = MQTTReasonCode(0x9C)
    public static let serverMoved = MQTTReasonCode(0x9D)
    public static let sharedSubscriptionsNotSupported = MQTTReasonCode(0x9E)
    public static let connectionRateExceeded = MQTTReasonCode(0x9F)
    public static let maximumConnectTime = MQTTReasonCode(0xA0)
    public static let subscriptionIdentifiersNotSupported = MQTTReasonCode(0xA1)
    public static let wildcardSubscriptionsNotSupported = MQTTReasonCode(0xA2)
}
