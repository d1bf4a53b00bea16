/// The property identifiers of MQTT 5.0 §2.2.2.2.
enum MQTTPropertyIdentifier: UInt8, CaseIterable {
    case payloadFormatIndicator = 0x01
    case messageExpiryInterval = 0x02
    case contentType = 0x03
    case responseTopic = 0x08
    case correlationData = 0x09
    case subscriptionIdentifier = 0x0B
    case sessionExpiryInterval = 0x11
    case assignedClientIdentifier = 0x12
    case serverKeepAlive = 0x13
    case authenticationMethod = 0x15
    case authenticationData = 0x16
    case requestProblemInformation = 0x17
    case willDelayInterval = 0x18
    case requestResponseInformation = 0x19
    case responseInformation = 0x1A
    case serverReference = 0x1C
    case reasonString = 0x1F
    case receiveMaximum = 0x21
    case topicAliasMaximum = 0x22
    case topicAlias = 0x23
    case maximumQoS = 0x24
    case retainAvailable = 0x25
    case userProperty = 0x26
    case maximumPacketSize = 0x27
    case wildcardSubscriptionAvailable = 0x28
    case subscriptionIdentifierAvailable = 0x29
    case sharedSubscriptionAvailable = 0x2A

    /// The packets (or the Will) that may carry this property (5.0 §2.2.2.2 table).
    var allowedContexts: Set<MQTTPropertyContext> {
        switch self {
        case .payloadFormatIndicator, .messageExpiryInterval, .contentType, .responseTopic, .correlationData:
            return [.publish, .will]
        case .subscriptionIdentifier: return [.publish, .subscribe]
        case .sessionExpiryInterval: return [.connect, .connack, .disconnect]
        case .assignedClientIdentifier, .serverKeepAlive, .responseInformation, .maximumQoS, .retainAvailable,
            .wildcardSubscriptionAvailable, .subscriptionIdentifierAvailable, .sharedSubscriptionAvailable:
            return [.connack]
        case .authenticationMethod, .authenticationData: return [.connect, .connack, .auth]
        case .requestProblemInformation, .requestResponseInformation: return [.connect]
        case .willDelayInterval: return [.will]
        case .serverReference: return [.connack, .disconnect]
        case .reasonString: return [.connack, .publishAck, .suback, .unsuback, .disconnect, .auth]
        case .receiveMaximum, .topicAliasMaximum, .maximumPacketSize: return [.connect, .connack]
        case .topicAlias: return [.publish]
        case .userProperty: return Set(MQTTPropertyContext.allCases)
        }
    }

    /// User Property may always repeat; Subscription Identifier only in PUBLISH
    /// (5.0 §3.3.2.3.8; §3.8.2.1.2 makes a second one in SUBSCRIBE a Protocol Error).
    func mayRepeat(in context: MQTTPropertyContext) -> Bool {
        switch self {
        case .userProperty: return true
        case .subscriptionIdentifier: return context == .publish
        default: return false
        }
    }
}

/// Where a property list sits: each packet type with properties, and the Will.
enum MQTTPropertyContext: CaseIterable {
    case connect, will, connack, publish, publishAck, subscribe, suback, unsubscribe, unsuback, disconnect, auth

    /// The packet type an error names; Will properties belong to CONNECT.
    var packetType: MQTTPacketType {
        switch self {
        case .connect, .will: return .connect
        case .connack: return .connack
        case .publish: return .publish
        case .publishAck: return .puback
        case .subscribe: return .subscribe
        case .suback: return .suback
        case .unsubscribe: return .unsubscribe
        case .unsuback: return .unsuback
        case .disconnect: return .disconnect
        case .auth: return .auth
        }
    }
}
