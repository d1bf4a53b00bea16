import MQTTCodec
import MQTTSNCodec
import PerchCore
import Testing

/// A thousand clients: supervision stays exact while the timer heap invalidates lazily.
@Suite("MQTTSNGateway: a thousand clients")
struct GatewayScaleTests {
    @Test("1000 clients, the silent half is lost at 1.5 × keep-alive, the talking half with QoS 1 downlink is not")
    func thousandClients() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(presence: nil))
        for number in 0..<1000 {
            harness.connect("c\(number)", from: "p\(number)", duration: 20)
            harness.receive(.subscribe(MQTTSNSubscribe(qos: .atLeastOnce, messageID: 1, topic: .predefined(2))), from: "p\(number)")
        }
        #expect(harness.gateway.statistics.clients == 1000)
        var lost = 0
        // Every 5 s a QoS 1 downlink message to everyone; the even clients acknowledge and ping.
        for _ in 0..<12 {
            let actions = harness.downlink("site/cmd/led", "x", qos: .atLeastOnce)
            for case .send(.publish(let publish), let peer) in actions where (Int(peer.dropFirst()) ?? 1) % 2 == 0 {
                harness.receive(.pubAck(MQTTSNTopicAck(topicID: 2, messageID: publish.messageID)), from: peer)
            }
            for number in stride(from: 0, to: 1000, by: 2) {
                harness.receive(.pingRequest(clientID: nil), from: "p\(number)")
            }
            lost += harness.advance(by: .seconds(5)).forgotten.count
        }
        // Odd clients: never acknowledged, so lost by retransmission (retry 10 s × 2) or
        // keep-alive (30 s), whichever first; even ones never.
        #expect(lost == 500)
        #expect(harness.gateway.statistics.clients == 500)
        #expect(harness.gateway.state(ofClient: "c0") == .active)
        #expect(harness.gateway.state(ofClient: "c1") == nil)
    }
}
