@testable import MQTTCodec
import NIOCore
import PerchTestKit

/// Generates valid packets of every type for one protocol version, deterministically.
struct PacketGenerator {
    var random: SplitMix64
    let version: MQTTProtocolVersion

    init(seed: UInt64, version: MQTTProtocolVersion) {
        random = SplitMix64(seed: seed)
        self.version = version
    }

    mutating func packet() -> MQTTPacket {
        switch Int.random(in: 0..<14, using: &random) {
        case 0: return .connect(connect())
        case 1: return .connack(connAck())
        case 2: return .publish(publish())
        case 3: return .puback(publishAck(type: .puback))
        case 4: return .pubrec(publishAck(type: .pubrec))
        case 5: return .pubrel(publishAck(type: .pubrel))
        case 6: return .pubcomp(publishAck(type: .pubcomp))
        case 7: return .subscribe(subscribe())
        case 8: return .suback(subAck())
        case 9: return .unsubscribe(UnsubscribePacket(packetID: packetID(), topicFilters: list { $0.filter() }, properties: properties(.unsubscribe)))
        case 10: return .unsuback(unsubAck())
        case 11: return .pingreq
        case 12: return .pingresp
        default: return .disconnect(disconnect())
        }
    }

    // MARK: Packets

    private mutating func connect() -> ConnectPacket {
        var will: ConnectPacket.Will?
        if bool() {
            will = ConnectPacket.Will(
                topic: topicName(), payload: bytesBuffer(), qos: qos(), retain: bool(), properties: properties(.will)
            )
        }
        let username: String? = bool() ? text() : nil
        // [MQTT-3.1.2-22]: 3.1.1 sends a password only with a user name.
        let password: [UInt8]? = bool() && (version == .v5 || username != nil) ? bytes() : nil
        return ConnectPacket(
            version: version, clientID: text(), cleanStart: bool(), keepAliveSeconds: UInt16.random(in: 0...UInt16.max, using: &random),
            username: username, password: password, will: will, properties: properties(.connect)
        )
    }

    private mutating func connAck() -> ConnAckPacket {
        let sessionPresent = bool()
        let code = sessionPresent ? MQTTReasonCode.success : pick([.success, .notAuthorized, .serverBusy, MQTTReasonCode(5)])
        return ConnAckPacket(sessionPresent: sessionPresent, reasonCode: code, properties: properties(.connack))
    }

    private mutating func publish() -> PublishPacket {
        let qos = qos()
        var properties = properties(.publish)
        var topic = topicName()
        if version == .v5 && bool() {
            properties.topicAlias = UInt16.random(in: 1...UInt16.max, using: &random)
            if bool() { topic = "" }
        }
        return PublishPacket(
            topic: topic, payload: bytesBuffer(maximum: 600), qos: qos, retain: bool(),
            dup: qos != .atMostOnce && bool(), packetID: qos == .atMostOnce ? nil : packetID(), properties: properties
        )
    }

    private mutating func publishAck(type: MQTTPacketType) -> PublishAckPacket {
        guard version == .v5 else { return PublishAckPacket(packetID: packetID()) }
        let codes: [UInt8] = type == .puback || type == .pubrec ? [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99] : [0x00, 0x92]
        return PublishAckPacket(packetID: packetID(), reasonCode: MQTTReasonCode(pick(codes)), properties: properties(.publishAck))
    }

    private mutating func subscribe() -> SubscribePacket {
        var properties = properties(.subscribe)
        if properties.subscriptionIdentifiers.count > 1 { properties.subscriptionIdentifiers.removeLast(properties.subscriptionIdentifiers.count - 1) }
        let subscriptions = list { generator in
            generator.version == .v5
                ? SubscribePacket.Subscription(
                    topicFilter: generator.filter(), qos: generator.qos(), noLocal: generator.bool(),
                    retainAsPublished: generator.bool(), retainHandling: UInt8.random(in: 0...2, using: &generator.random)
                )
                : SubscribePacket.Subscription(topicFilter: generator.filter(), qos: generator.qos())
        }
        return SubscribePacket(packetID: packetID(), subscriptions: subscriptions, properties: properties)
    }

    private mutating func subAck() -> SubAckPacket {
        let codes: [UInt8] = version == .v5 ? [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2] : [0, 1, 2, 0x80]
        return SubAckPacket(packetID: packetID(), reasonCodes: list { MQTTReasonCode($0.pick(codes)) }, properties: properties(.suback))
    }

    private mutating func unsubAck() -> UnsubAckPacket {
        guard version == .v5 else { return UnsubAckPacket(packetID: packetID()) }
        let codes: [UInt8] = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91]
        return UnsubAckPacket(packetID: packetID(), reasonCodes: list { MQTTReasonCode($0.pick(codes)) }, properties: properties(.unsuback))
    }

    private mutating func disconnect() -> DisconnectPacket {
        guard version == .v5 else { return DisconnectPacket() }
        return DisconnectPacket(reasonCode: pick([.success, .disconnectWithWill, .serverShuttingDown, .keepAliveTimeout]), properties: properties(.disconnect))
    }

    // MARK: Properties

    /// Sets each property the context allows with probability 1/4, to a valid value.
    private mutating func properties(_ context: MQTTPropertyContext) -> MQTTProperties {
        var properties = MQTTProperties()
        guard version == .v5 else { return properties }
        for identifier in MQTTPropertyIdentifier.allCases where identifier.allowedContexts.contains(context) {
            guard Int.random(in: 0..<4, using: &random) == 0 else { continue }
            set(identifier, in: &properties)
        }
        return properties
    }

    private mutating func set(_ identifier: MQTTPropertyIdentifier, in properties: inout MQTTProperties) {
        switch identifier {
        case .payloadFormatIndicator: properties.payloadFormatIndicator = flag()
        case .messageExpiryInterval: properties.messageExpiryInterval = UInt32.random(in: 0...UInt32.max, using: &random)
        case .contentType: properties.contentType = text()
        case .responseTopic: properties.responseTopic = topicName()
        case .correlationData: properties.correlationData = bytes()
        case .subscriptionIdentifier: properties.subscriptionIdentifiers = list { UInt32.random(in: 1...268_435_455, using: &$0.random) }
        case .sessionExpiryInterval: properties.sessionExpiryInterval = UInt32.random(in: 0...UInt32.max, using: &random)
        case .assignedClientIdentifier: properties.assignedClientIdentifier = text()
        case .serverKeepAlive: properties.serverKeepAlive = UInt16.random(in: 0...UInt16.max, using: &random)
        case .authenticationMethod: properties.authenticationMethod = text()
        case .authenticationData: properties.authenticationData = bytes()
        case .requestProblemInformation: properties.requestProblemInformation = flag()
        case .willDelayInterval: properties.willDelayInterval = UInt32.random(in: 0...UInt32.max, using: &random)
        case .requestResponseInformation: properties.requestResponseInformation = flag()
        case .responseInformation: properties.responseInformation = text()
        case .serverReference: properties.serverReference = text()
        case .reasonString: properties.reasonString = text()
        case .receiveMaximum: properties.receiveMaximum = UInt16.random(in: 1...UInt16.max, using: &random)
        case .topicAliasMaximum: properties.topicAliasMaximum = UInt16.random(in: 0...UInt16.max, using: &random)
        case .topicAlias: properties.topicAlias = UInt16.random(in: 1...UInt16.max, using: &random)
        case .maximumQoS: properties.maximumQoS = flag()
        case .retainAvailable: properties.retainAvailable = flag()
        case .userProperty: properties.userProperties = list { .init(name: $0.text(), value: $0.text()) }
        case .maximumPacketSize: properties.maximumPacketSize = UInt32.random(in: 1...UInt32.max, using: &random)
        case .wildcardSubscriptionAvailable: properties.wildcardSubscriptionAvailable = flag()
        case .subscriptionIdentifierAvailable: properties.subscriptionIdentifiersAvailable = flag()
        case .sharedSubscriptionAvailable: properties.sharedSubscriptionAvailable = flag()
        }
    }

    // MARK: Fields

    private static let alphabet: [String] = ["a", "b", "z", "0", "-", "_", " ", "é", "ß", "日", "本", "🐦", "\u{FEFF}"]

    mutating func text() -> String {
        (0..<Int.random(in: 0...12, using: &random)).map { _ in pick(Self.alphabet) }.joined()
    }

    mutating func topicName() -> String {
        (1...Int.random(in: 1...4, using: &random)).map { _ in text() }.joined(separator: "/") + "t"
    }

    mutating func filter() -> String {
        var levels = (1...Int.random(in: 1...4, using: &random)).map { _ in pick(["+", text(), "x"]) }
        if bool() { levels.append("#") }
        let filter = levels.joined(separator: "/")
        // [MQTT-4.7.3-1]: empty levels are fine, an empty filter is not.
        return filter.isEmpty ? "f" : filter
    }

    mutating func bytes() -> [UInt8] {
        (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...UInt8.max, using: &random) }
    }

    mutating func bytesBuffer(maximum: Int = 40) -> ByteBuffer {
        ByteBuffer(bytes: (0..<Int.random(in: 0...maximum, using: &random)).map { _ in UInt8.random(in: 0...UInt8.max, using: &random) })
    }

    mutating func packetID() -> UInt16 { UInt16.random(in: 1...UInt16.max, using: &random) }
    mutating func bool() -> Bool { Bool.random(using: &random) }
    mutating func flag() -> UInt8 { UInt8.random(in: 0...1, using: &random) }
    mutating func qos() -> MQTTQoS { pick([.atMostOnce, .atLeastOnce, .exactlyOnce]) }

    mutating func pick<Element>(_ choices: [Element]) -> Element {
        choices[Int.random(in: 0..<choices.count, using: &random)]
    }

    /// One to four elements.
    mutating func list<Element>(_ make: (inout PacketGenerator) -> Element) -> [Element] {
        (0..<Int.random(in: 1...4, using: &random)).map { _ in make(&self) }
    }
}
