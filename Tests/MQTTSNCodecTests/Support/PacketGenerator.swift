import MQTTSNCodec
import NIOCore
import PerchTestKit

/// Generates every kind of MQTT-SN message with random fields from a seeded
/// generator, so a failing round trip is the same on every run.
struct PacketGenerator {
    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    private mutating func bool() -> Bool { Bool.random(using: &random) }
    private mutating func byte() -> UInt8 { UInt8.random(in: 0...255, using: &random) }
    private mutating func uint16() -> UInt16 { UInt16.random(in: 0...UInt16.max, using: &random) }
    private mutating func qos() -> MQTTSNQoS { MQTTSNQoS.allCases.randomElement(using: &random) ?? .atMostOnce }
    private mutating func returnCode() -> MQTTSNReturnCode { MQTTSNReturnCode(byte() % 6) }

    private mutating func bytes(maxCount: Int) -> [UInt8] {
        (0..<Int.random(in: 0...maxCount, using: &random)).map { _ in byte() }
    }

    /// Mostly short, sometimes long enough to need the three-octet Length.
    private mutating func buffer() -> ByteBuffer {
        ByteBuffer(bytes: bytes(maxCount: Int.random(in: 0...9, using: &random) == 0 ? 600 : 40))
    }

    /// Strings from pieces with one-, two- and three-byte UTF-8, wildcards and separators.
    private mutating func string(minCount: Int = 0) -> String {
        let pieces = ["a", "Z", "/", "+", "#", "$", "é", "水", " ", "sensor", "7"]
        let count = Int.random(in: minCount...12, using: &random)
        return (0..<count).map { _ in pieces.randomElement(using: &random) ?? "a" }.joined()
    }

    private mutating func shortName() -> MQTTSNShortTopicName { MQTTSNShortTopicName(byte(), byte()) }

    private mutating func topic() -> MQTTSNTopic {
        switch Int.random(in: 0...2, using: &random) {
        case 0: return .normal(uint16())
        case 1: return .predefined(uint16())
        default: return .shortName(shortName())
        }
    }

    private mutating func subscriptionTopic() -> MQTTSNSubscriptionTopic {
        switch Int.random(in: 0...2, using: &random) {
        case 0: return .name(string())
        case 1: return .predefined(uint16())
        default: return .shortName(shortName())
        }
    }

    private mutating func willTopic() -> MQTTSNWillTopic? {
        bool() ? nil : MQTTSNWillTopic(qos: qos(), retain: bool(), topic: string())
    }

    /// Any message but an encapsulation; `kind` picks the message type.
    mutating func plainPacket(kind: Int) -> MQTTSNPacket {
        switch kind % 27 {
        case 0: return .advertise(MQTTSNAdvertise(gatewayID: byte(), durationSeconds: uint16()))
        case 1: return .searchGateway(radius: byte())
        case 2: return .gatewayInfo(MQTTSNGatewayInfo(gatewayID: byte(), gatewayAddress: bytes(maxCount: 16)))
        case 3: return .connect(MQTTSNConnect(will: bool(), cleanSession: bool(), durationSeconds: uint16(), clientID: string()))
        case 4: return .connAck(returnCode())
        case 5: return .willTopicRequest
        case 6: return .willTopic(willTopic())
        case 7: return .willMessageRequest
        case 8: return .willMessage(buffer())
        case 9: return .register(MQTTSNRegister(topicID: uint16(), messageID: uint16(), topicName: string()))
        case 10: return .regAck(MQTTSNTopicAck(topicID: uint16(), messageID: uint16(), returnCode: returnCode()))
        case 11:
            return .publish(MQTTSNPublish(
                dup: bool(), qos: qos(), retain: bool(), topic: topic(), messageID: uint16(), payload: buffer()
            ))
        case 12: return .pubAck(MQTTSNTopicAck(topicID: uint16(), messageID: uint16(), returnCode: returnCode()))
        case 13: return .pubComp(messageID: uint16())
        case 14: return .pubRec(messageID: uint16())
        case 15: return .pubRel(messageID: uint16())
        case 16: return .subscribe(MQTTSNSubscribe(dup: bool(), qos: qos(), messageID: uint16(), topic: subscriptionTopic()))
        case 17: return .subAck(MQTTSNSubAck(qos: qos(), topicID: uint16(), messageID: uint16(), returnCode: returnCode()))
        case 18: return .unsubscribe(MQTTSNUnsubscribe(messageID: uint16(), topic: subscriptionTopic()))
        case 19: return .unsubAck(messageID: uint16())
        // An empty client id is written as none, so the generator gives nil or a real one.
        case 20: return .pingRequest(clientID: bool() ? nil : string(minCount: 1))
        case 21: return .pingResponse
        case 22: return .disconnect(durationSeconds: bool() ? nil : uint16())
        case 23: return .willTopicUpdate(willTopic())
        case 24: return .willMessageUpdate(buffer())
        case 25: return .willTopicResponse(returnCode())
        default: return .willMessageResponse(returnCode())
        }
    }

    /// Any message, one in ten wrapped in a forwarder encapsulation.
    mutating func packet(kind: Int) -> MQTTSNPacket {
        let plain = plainPacket(kind: kind)
        guard Int.random(in: 0...9, using: &random) == 0 else { return plain }
        let radius = UInt8.random(in: 0...3, using: &random)
        return .encapsulated(MQTTSNEncapsulation(radius: radius, wirelessNodeID: bytes(maxCount: 8), message: plain))
    }
}
