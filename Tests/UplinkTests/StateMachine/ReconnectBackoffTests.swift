import PerchTestKit
import Testing

@testable import Uplink

@Suite struct ReconnectBackoffTests {
    @Test func staysWithinMinimumAndMaximum() {
        var backoff = ReconnectBackoff(minimum: .seconds(1), maximum: .seconds(120))
        var generator = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let delay = backoff.nextDelay(using: &generator)
            #expect(delay >= .seconds(1))
            #expect(delay <= .seconds(120))
        }
    }

    @Test func ceilingDoublesUntilTheMaximum() {
        var backoff = ReconnectBackoff(minimum: .seconds(1), maximum: .seconds(10))
        var generator = SplitMix64(seed: 7)
        var ceilings: [Duration] = []
        for _ in 0..<6 {
            ceilings.append(backoff.ceiling)
            let delay = backoff.nextDelay(using: &generator)
            #expect(delay <= ceilings.last ?? .zero)
            #expect(delay >= max(.seconds(1), (ceilings.last ?? .zero) / 2))
        }
        #expect(ceilings == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    @Test func jitterSpreadsTheDelays() {
        var generator = SplitMix64(seed: 1)
        var delays: Set<Duration> = []
        for _ in 0..<20 {
            var backoff = ReconnectBackoff(minimum: .seconds(1), maximum: .seconds(60))
            for _ in 0..<4 { _ = backoff.nextDelay(using: &generator) }
            delays.insert(backoff.nextDelay(using: &generator))
        }
        #expect(delays.count > 10)
    }

    @Test func resetStartsAgainFromTheMinimum() {
        var backoff = ReconnectBackoff(minimum: .milliseconds(100), maximum: .seconds(5))
        var generator = SplitMix64(seed: 3)
        for _ in 0..<10 { _ = backoff.nextDelay(using: &generator) }
        #expect(backoff.ceiling == .seconds(5))
        backoff.reset()
        #expect(backoff.ceiling == .milliseconds(100))
        #expect(backoff.nextDelay(using: &generator) == .milliseconds(100))
    }

    @Test func maximumBelowMinimumIsRaisedToIt() {
        var backoff = ReconnectBackoff(minimum: .seconds(3), maximum: .seconds(1))
        var generator = SplitMix64(seed: 9)
        #expect(backoff.nextDelay(using: &generator) == .seconds(3))
        #expect(backoff.nextDelay(using: &generator) == .seconds(3))
    }
}
