import MQTTSNCodec
import PerchCore
import Testing

/// Gateway advertisement and discovery (MQTT-SN v1.2 §6.1).
@Suite("MQTTSNGateway: discovery")
struct GatewayDiscoveryTests {
    @Test("§6.1: SEARCHGW from any address is answered with GWINFO carrying the GwId")
    func searchGateway() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        let actions = harness.receive(.searchGateway(radius: 1), from: "x")
        #expect(actions == [.send(.gatewayInfo(MQTTSNGatewayInfo(gatewayID: 7)), to: "x")])
    }

    @Test("§6.1: ADVERTISE at start and every interval, with the interval as Duration")
    func advertise() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration(advertise: .seconds(900)))
        let advert = GatewayHarness.Action.broadcast(.advertise(MQTTSNAdvertise(gatewayID: 7, durationSeconds: 900)))
        #expect(harness.start() == [advert])
        #expect(harness.advance(by: .seconds(899)).isEmpty)
        #expect(harness.advance(by: .seconds(1)) == [advert])
        #expect(harness.advance(by: .seconds(1800)) == [advert, advert])
    }

    @Test("§6.1: no ADVERTISE when none is configured")
    func noAdvertise() throws {
        var harness = GatewayHarness(try GatewayHarness.configuration())
        #expect(harness.start().isEmpty)
        #expect(harness.gateway.nextDeadline == nil)
    }
}
