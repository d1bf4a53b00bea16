/// perchd's resident memory and CPU time at one moment of a sampled case.
struct ResourcePoint: Sendable {
    /// Since the case's clock started.
    var elapsed: Duration
    /// VmRSS, in bytes.
    var residentBytes: Int
    /// RssAnon, in bytes: the heap and stacks, without the mapped binary and
    /// libraries (whose pages fault in as code paths are first taken).
    var anonymousBytes: Int
    /// utime + stime so far, in clock ticks.
    var cpuTicks: Int

    /// Samples `perchd` at `origin` + k·`interval` (k = 0, 1, …) until the task
    /// is cancelled or perchd's `/proc` entry goes away; returns the samples.
    static func record(_ perchd: PerchdUnderTest, every interval: Duration, from origin: ContinuousClock.Instant) async -> [ResourcePoint] {
        var points: [ResourcePoint] = []
        var next = origin
        while !Task.isCancelled {
            guard let sample = try? perchd.sample() else { break }
            points.append(ResourcePoint(elapsed: origin.duration(to: .now), residentBytes: sample.residentBytes, anonymousBytes: sample.anonymousResidentBytes,
                    cpuTicks: sample.cpuTicks))
            next = next.advanced(by: interval)
            // Pacing a benchmark's sampler, not synchronisation: nothing waits for these samples.
            do { try await Task.sleep(until: next, clock: .continuous) } catch { break }
        }
        return points
    }
}

extension Duration {
    /// The duration in whole nanoseconds (negative durations give 0).
    var nanoseconds: UInt64 {
        let (whole, fraction) = components
        guard whole >= 0 else { return 0 }
        return UInt64(whole) &* 1_000_000_000 &+ UInt64(fraction / 1_000_000_000)
    }
}
