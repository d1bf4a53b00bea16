import MQTTCodec
import MQTTSNCodec
import PerchCore
import PerchTestKit
import Testing

/// Seeded random sequences of events: the gateway never traps, and its
/// invariants hold after every event.
@Suite("MQTTSNGateway: random sequences")
struct GatewayRandomSequenceTests {
    private static let clientIDs = ["c0", "c1", "c2", "c3", "c4"]
    private static let peers = ["p0", "p1", "p2", "p3", "p4", "p5"]
    private static let filters = ["cmd/#", "cmd/+", "cmd/a", "+/a", "x"]
    private static let topics = ["cmd/a", "cmd/b", "x", "cmd/led", "y/a"]

    @Test("invariants hold over 20 seeds × 400 events", arguments: 1...20)
    func randomSequence(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var harness = GatewayHarness(try GatewayHarness.configuration(maxClients: 3, sleepingBuffer: 3, retryCount: 1))
        var broker: [String: UInt8] = [:]
        var receipts: [UpstreamReceipt] = []
        var lastSent: [String: MQTTSNPacket] = [:]
        for _ in 0..<400 {
            let peer = Self.peers.randomElement(using: &random) ?? "p0"
            let clientID = Self.clientIDs.randomElement(using: &random) ?? "c0"
            let messageID = UInt16.random(in: 1...4, using: &random)
            let actions: [GatewayHarness.Action]
            switch Int.random(in: 0..<16, using: &random) {
            case 0, 1:
                actions = harness.receive(.connect(MQTTSNConnect(
                    will: Bool.random(using: &random), cleanSession: Bool.random(using: &random),
                    durationSeconds: UInt16.random(in: 0...20, using: &random), clientID: clientID)), from: peer)
            case 2:
                actions = harness.receive(Bool.random(using: &random) ? .willTopic(MQTTSNWillTopic(topic: "w")) : .willMessage(.init(string: "m")), from: peer)
            case 3:
                actions = harness.receive(.register(MQTTSNRegister(topicID: 0, messageID: messageID, topicName: Self.topics.randomElement(using: &random) ?? "x")), from: peer)
            case 4:
                let qos = MQTTSNQoS.allCases.randomElement(using: &random) ?? .atMostOnce
                let topic: MQTTSNTopic = Bool.random(using: &random) ? .normal(UInt16.random(in: 1...3, using: &random)) : .predefined(UInt16.random(in: 1...3, using: &random))
                actions = harness.receive(publishPacket(topic, "p", qos: qos, messageID: messageID), from: peer)
            case 5:
                let filter = Self.filters.randomElement(using: &random) ?? "x"
                let qos = [MQTTSNQoS.atMostOnce, .atLeastOnce, .exactlyOnce].randomElement(using: &random) ?? .atMostOnce
                actions = harness.receive(.subscribe(MQTTSNSubscribe(qos: qos, messageID: messageID, topic: .name(filter))), from: peer)
            case 6:
                let filter = Self.filters.randomElement(using: &random) ?? "x"
                actions = harness.receive(.unsubscribe(MQTTSNUnsubscribe(messageID: messageID, topic: .name(filter))), from: peer)
            case 7:
                let duration: UInt16? = Bool.random(using: &random) ? nil : UInt16.random(in: 1...30, using: &random)
                actions = harness.receive(.disconnect(durationSeconds: duration), from: peer)
            case 8:
                actions = harness.receive(.pingRequest(clientID: Bool.random(using: &random) ? clientID : nil), from: peer)
            case 9, 10:
                // Answer whatever the gateway last sent this peer, as a well-behaved client would.
                actions = harness.receive(Self.answer(to: lastSent[peer]) ?? .pingRequest(clientID: nil), from: peer)
            case 11, 12:
                let qos = [MQTTQoS.atMostOnce, .atLeastOnce, .exactlyOnce].randomElement(using: &random) ?? .atMostOnce
                actions = harness.downlink("site/" + (Self.topics.randomElement(using: &random) ?? "x"), "d", qos: qos)
            case 13:
                guard !receipts.isEmpty else { continue }
                let receipt = receipts.remove(at: Int.random(in: 0..<receipts.count, using: &random))
                actions = harness.complete(receipt, accepted: Bool.random(using: &random))
            default:
                actions = harness.advance(by: .seconds(Int64.random(in: 1...20, using: &random)))
            }
            for action in actions {
                switch action {
                case .subscribe(let filter, let qos): broker[filter.value] = qos.rawValue
                case .unsubscribe(let filter):
                    #expect(broker.removeValue(forKey: filter.value) != nil, "unsubscribed from \(filter) never subscribed")
                case .publish(_, let receipt?): receipts.append(receipt)
                case .send(let packet, let peer): lastSent[peer] = packet
                default: break
                }
            }
            let statistics = harness.gateway.statistics
            #expect(statistics.clients <= 3)
            #expect(statistics.asleep <= statistics.clients)
            let live = Self.clientIDs.filter { harness.gateway.state(ofClient: $0)?.isLive == true }
            #expect(live.count == statistics.clients)
            let held = Dictionary(uniqueKeysWithValues: harness.gateway.upstreamSubscriptions.map { ($0.filter.value, $0.qos.rawValue) })
            #expect(held == broker)
        }
        // Every client comes back with a clean session and leaves: nothing may stay
        // subscribed. Live clients first, so that each leaves room for the next.
        for action in harness.advance(by: .seconds(3_600)) {
            if case .unsubscribe(let filter) = action { broker[filter.value] = nil }
        }
        let ordered = Self.clientIDs.filter { harness.gateway.state(ofClient: $0)?.isLive == true }
            + Self.clientIDs.filter { harness.gateway.state(ofClient: $0)?.isLive != true }
        for clientID in ordered {
            for action in harness.connect(clientID, from: "final", cleanSession: true) + harness.receive(.disconnect(durationSeconds: nil), from: "final") {
                if case .unsubscribe(let filter) = action { broker[filter.value] = nil }
                if case .subscribe(let filter, let qos) = action { broker[filter.value] = qos.rawValue }
            }
        }
        #expect(harness.gateway.upstreamSubscriptions.isEmpty)
        #expect(broker.isEmpty)
        #expect(harness.gateway.statistics.clients == 0)
    }

    /// What a conforming client sends back for a gateway packet.
    private static func answer(to packet: MQTTSNPacket?) -> MQTTSNPacket? {
        switch packet {
        case .register(let register)?: return .regAck(MQTTSNTopicAck(topicID: register.topicID, messageID: register.messageID))
        case .publish(let publish)? where publish.qos == .atLeastOnce:
            return .pubAck(MQTTSNTopicAck(topicID: publish.topic.rawField, messageID: publish.messageID))
        case .publish(let publish)? where publish.qos == .exactlyOnce: return .pubRec(messageID: publish.messageID)
        case .pubRel(let messageID)?: return .pubComp(messageID: messageID)
        case .pubRec(let messageID)?: return .pubRel(messageID: messageID)
        case .willTopicRequest?: return .willTopic(MQTTSNWillTopic(topic: "will"))
        case .willMessageRequest?: return .willMessage(.init(string: "bye"))
        default: return nil
        }
    }
}

extension MQTTSNTopic {
    /// The TopicId field's value.
    var rawField: UInt16 {
        switch self {
        case .normal(let id), .predefined(let id): return id
        case .shortName(let shortName): return shortName.rawValue
        }
    }
}
