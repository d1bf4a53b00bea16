import PerchCore
import PerchTestKit
import Testing

/// The per-source budget behind `mqttsn.rate_limit`.
@Suite("TokenBuckets")
struct TokenBucketsTests {
    typealias Instant = ManualClock.Instant
    let start = Instant(offset: .zero)

    @Test("a burst is admitted back to back, the next datagram is not; only the first refusal is flagged")
    func burstThenLimited() {
        var buckets = TokenBuckets<String, Instant>(limit: RateLimit(rate: 10, burst: 5))
        for _ in 0..<5 { #expect(buckets.admit("a", now: start) == .admitted) }
        #expect(buckets.admit("a", now: start) == .limited(first: true))
        #expect(buckets.admit("a", now: start) == .limited(first: false))
        // Another source has its own budget.
        #expect(buckets.admit("b", now: start) == .admitted)
    }

    @Test("the bucket refills at the rate, up to the burst")
    func refill() {
        var buckets = TokenBuckets<String, Instant>(limit: RateLimit(rate: 10, burst: 5))
        for _ in 0..<5 { _ = buckets.admit("a", now: start) }
        #expect(buckets.admit("a", now: start) == .limited(first: true))
        // 10/s: 100ms buys one datagram.
        let later = start.advanced(by: .milliseconds(100))
        #expect(buckets.admit("a", now: later) == .admitted)
        #expect(buckets.admit("a", now: later) == .limited(first: true))
        // A long quiet spell refills to the burst, no further.
        let quiet = later.advanced(by: .seconds(60))
        for _ in 0..<5 { #expect(buckets.admit("a", now: quiet) == .admitted) }
        #expect(buckets.admit("a", now: quiet) == .limited(first: true))
    }

    @Test("a sustained sender gets the rate: 20/s for 10s of 100/s arrivals admits about 200 plus the burst")
    func sustainedRate() {
        var buckets = TokenBuckets<String, Instant>(limit: RateLimit(rate: 20, burst: 10))
        var admitted = 0
        for tick in 0..<1_000 {
            if buckets.admit("flood", now: start.advanced(by: .milliseconds(10 * tick))) == .admitted { admitted += 1 }
        }
        #expect((205...211).contains(admitted), "admitted \(admitted)")
    }

    @Test("the table stays within its capacity; idle sources are forgotten first")
    func bounded() {
        var buckets = TokenBuckets<Int, Instant>(limit: RateLimit(rate: 1, burst: 1), capacity: 8)
        // Source 0 is over its budget...
        _ = buckets.admit(0, now: start)
        #expect(buckets.admit(0, now: start) == .limited(first: true))
        // ...and stays tracked while sources arriving within its refill time fill the table.
        for source in 1..<8 { _ = buckets.admit(source, now: start) }
        #expect(buckets.count == 8)
        _ = buckets.admit(100, now: start.advanced(by: .milliseconds(500)))
        #expect(buckets.count <= 8)
        // Two seconds later every bucket is full again: the table is swept, not grown.
        for source in 200..<300 { _ = buckets.admit(source, now: start.advanced(by: .seconds(2))) }
        #expect(buckets.count <= 8)
    }

    @Test("a new limit starts every source from a full bucket")
    func reset() {
        var buckets = TokenBuckets<String, Instant>(limit: RateLimit(rate: 1, burst: 1))
        _ = buckets.admit("a", now: start)
        #expect(buckets.admit("a", now: start) == .limited(first: true))
        buckets.reset(to: RateLimit(rate: 100, burst: 3))
        for _ in 0..<3 { #expect(buckets.admit("a", now: start) == .admitted) }
        #expect(buckets.admit("a", now: start) == .limited(first: true))
    }
}
