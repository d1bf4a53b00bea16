/// A per-source datagram budget (`mqttsn.rate_limit`): a token bucket that
/// refills at `rate` datagrams a second and holds at most `burst`.
///
/// A sensor sends a reading every few seconds; a sender far above the rate is
/// broken or hostile, and what it sends past its budget is dropped before it
/// costs a decode, so every other sensor keeps its service.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// Datagrams a second, sustained.
    public var rate: Int
    /// Datagrams accepted back to back after a quiet spell.
    public var burst: Int

    /// Creates a limit; both are at least 1.
    public init(rate: Int, burst: Int) {
        self.rate = max(rate, 1)
        self.burst = max(burst, 1)
    }

    /// SPEC §1's default: far above what sensors send, far below a flood.
    public static let `default` = RateLimit(rate: 1_000, burst: 2_000)

    public var description: String { "\(rate)/s, burst \(burst)" }
}

/// One token bucket per source, bounded in the number of sources it tracks.
///
/// A source idle long enough for its bucket to be full again is the same as
/// one never seen, so forgetting it loses nothing; the table is swept of those
/// when it fills, and emptied when a flood of (forged) sources leaves nothing
/// to sweep: the limit then restarts from full buckets rather than growing.
public struct TokenBuckets<Key: Hashable & Sendable, Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What `admit` decided.
    public enum Verdict: Sendable, Equatable {
        /// Within the budget.
        case admitted
        /// Over it; `first` is true for the first refusal since the source was
        /// last admitted (one log line per burst, not per datagram).
        case limited(first: Bool)
    }

    private struct Bucket: Sendable {
        var tokens: Double
        var updated: Instant
        var isLimited: Bool
    }

    /// The limit applied to every source.
    public private(set) var limit: RateLimit
    /// Sources tracked at most.
    public let capacity: Int
    private var buckets: [Key: Bucket] = [:]

    /// Creates an empty table.
    public init(limit: RateLimit, capacity: Int = 4_096) {
        self.limit = limit
        self.capacity = max(capacity, 1)
    }

    /// Sources tracked now.
    public var count: Int { buckets.count }

    /// Takes one token from `key`'s bucket, if it has one.
    public mutating func admit(_ key: Key, now: Instant) -> Verdict {
        var bucket: Bucket
        if let known = buckets[key] {
            bucket = known
            let elapsed = max(bucket.updated.duration(to: now) / .seconds(1), 0)
            bucket.tokens = min(Double(limit.burst), bucket.tokens + elapsed * Double(limit.rate))
            bucket.updated = now
        } else {
            if buckets.count >= capacity { makeRoom(now: now) }
            bucket = Bucket(tokens: Double(limit.burst), updated: now, isLimited: false)
        }
        let verdict: Verdict
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            bucket.isLimited = false
            verdict = .admitted
        } else {
            verdict = .limited(first: !bucket.isLimited)
            bucket.isLimited = true
        }
        buckets[key] = bucket
        return verdict
    }

    /// A new limit (reload): every source starts again from a full bucket.
    public mutating func reset(to limit: RateLimit) {
        self.limit = limit
        buckets.removeAll(keepingCapacity: true)
    }

    private mutating func makeRoom(now: Instant) {
        let refill = Duration.seconds(Double(limit.burst) / Double(limit.rate))
        buckets = buckets.filter { $0.value.updated.duration(to: now) < refill }
        if buckets.count >= capacity { buckets.removeAll(keepingCapacity: true) }
    }
}
