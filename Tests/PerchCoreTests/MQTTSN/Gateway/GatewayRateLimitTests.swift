import PerchCore
import Testing

/// `mqttsn.rate_limit`: the gateway's verdict on each source before a datagram is decoded.
@Suite("MQTTSNGateway: rate limit")
struct GatewayRateLimitTests {
    @Test("a source over its budget is refused and counted; another source is not affected")
    func overBudget() throws {
        var configuration = try GatewayHarness.configuration()
        configuration.rateLimit = RateLimit(rate: 5, burst: 5)
        var harness = GatewayHarness(configuration)
        var verdicts: [Bool] = []
        for _ in 0..<8 { verdicts.append(harness.gateway.admit("flood", now: harness.now)) }
        #expect(verdicts == Array(repeating: true, count: 5) + Array(repeating: false, count: 3))
        let quiet = harness.gateway.admit("quiet", now: harness.now)
        #expect(quiet)
        #expect(harness.gateway.statistics.rateLimited == 3)
        // A second later the flooder has five more.
        harness.advance(by: .seconds(1))
        let again = harness.gateway.admit("flood", now: harness.now)
        #expect(again)
    }

    @Test("off admits everything; a reload changes the limit live")
    func offAndReload() throws {
        var configuration = try GatewayHarness.configuration()
        configuration.rateLimit = nil
        var harness = GatewayHarness(configuration)
        var admitted = 0
        for _ in 0..<10_000 where harness.gateway.admit("a", now: harness.now) { admitted += 1 }
        #expect(admitted == 10_000)
        configuration.rateLimit = RateLimit(rate: 1, burst: 2)
        #expect(harness.reconfigure(configuration).changed == [.rateLimit])
        var verdicts: [Bool] = []
        for _ in 0..<3 { verdicts.append(harness.gateway.admit("a", now: harness.now)) }
        #expect(verdicts == [true, true, false])
        #expect(harness.gateway.statistics.rateLimited == 1)
    }

    @Test("the default is SPEC's: 1000/s with a burst of 2000")
    func defaultLimit() {
        #expect(MQTTSNGatewayConfiguration().rateLimit == RateLimit(rate: 1_000, burst: 2_000))
    }
}
