/// A soak's samples, one row per interval: perchd's RSS at the end of the
/// interval, its CPU over it, and the latency of the messages that arrived in it.
struct SoakTimeline {
    struct Row: Equatable {
        /// When the interval ended, since the case began.
        var end: Duration
        var residentBytes: Int
        /// The anonymous part (heap and stacks).
        var anonymousBytes: Int
        /// perchd's CPU over the interval, in % of one core.
        var cpuPercent: Double
        /// First arrivals in the interval.
        var delivered: Int
        /// The same per second of the interval's actual length.
        var deliveredPerSecond: Double
        /// Latency percentiles of those arrivals, in nanoseconds (nil when none arrived).
        var p50: UInt64?
        var p99: UInt64?
        var maximum: UInt64?
    }

    /// The straight line through the RSS samples after the warm-up.
    struct Trend: Equatable {
        var rows: Int
        var firstBytes: Int
        var lastBytes: Int
        var minimumBytes: Int
        var maximumBytes: Int
        /// Least-squares slope, in bytes per hour.
        var bytesPerHour: Double
        /// The slope over the span sampled: what the line rose or fell by.
        var fittedChangeBytes: Double

        /// Flat: the fitted line moves by at most 1 MiB or 2 % of the mean RSS, whichever is more.
        var isFlat: Bool {
            let mean = Double(minimumBytes + maximumBytes) / 2
            return abs(fittedChangeBytes) <= max(Double(1 << 20), 0.02 * mean)
        }
    }

    private(set) var rows: [Row] = []

    /// Row k pairs sample k (taken about k intervals in) with latency window k − 1.
    init(points: [ResourcePoint], tally: DeliveryTally, ticksPerSecond: Int) {
        guard points.count > 1 else { return }
        for index in 1..<points.count {
            let (before, after) = (points[index - 1], points[index])
            let seconds = (after.elapsed - before.elapsed).seconds
            let latencies = tally.latencies(inWindow: index - 1).sorted()
            rows.append(
                Row(
                    end: after.elapsed, residentBytes: after.residentBytes, anonymousBytes: after.anonymousBytes,
                    cpuPercent: seconds > 0 ? Double(after.cpuTicks - before.cpuTicks) / Double(ticksPerSecond) / seconds * 100 : 0,
                    delivered: latencies.count, deliveredPerSecond: seconds > 0 ? Double(latencies.count) / seconds : 0,
                    p50: Statistics.percentile(0.5, ofSorted: latencies), p99: Statistics.percentile(0.99, ofSorted: latencies),
                    maximum: latencies.last))
        }
    }

    /// The trend of `memory` (VmRSS unless told) over the rows that end after
    /// `warmUp` (start-up, first registrations, buffers reaching their size).
    func trend(after warmUp: Duration, of memory: KeyPath<Row, Int> = \.residentBytes) -> Trend? {
        let steady = rows.filter { $0.end > warmUp }
        guard steady.count >= 2, let first = steady.first, let last = steady.last else { return nil }
        let xs = steady.map { $0.end.seconds }
        let ys = steady.map { Double($0[keyPath: memory]) }
        let meanX = xs.reduce(0, +) / Double(xs.count)
        let meanY = ys.reduce(0, +) / Double(ys.count)
        var covariance = 0.0
        var variance = 0.0
        for (x, y) in zip(xs, ys) {
            covariance += (x - meanX) * (y - meanY)
            variance += (x - meanX) * (x - meanX)
        }
        let slope = variance > 0 ? covariance / variance : 0
        return Trend(
            rows: steady.count, firstBytes: first[keyPath: memory], lastBytes: last[keyPath: memory],
            minimumBytes: steady.map { $0[keyPath: memory] }.min() ?? 0, maximumBytes: steady.map { $0[keyPath: memory] }.max() ?? 0,
            bytesPerHour: slope * 3600, fittedChangeBytes: slope * ((xs.last ?? 0) - (xs.first ?? 0)))
    }

    /// The rows as CSV: seconds, rss_kib, anon_kib, cpu_percent, delivered, p50_us, p99_us, max_us.
    func csv() -> String {
        var text = "seconds,rss_kib,anon_kib,cpu_percent,delivered,p50_us,p99_us,max_us\n"
        for row in rows {
            let latency = [row.p50, row.p99, row.maximum].map { $0.map { Formatting.number(Double($0) / 1e3, decimals: 1, grouped: false) } ?? "" }
            text += "\(Formatting.number(row.end.seconds, decimals: 1, grouped: false)),\(row.residentBytes / 1024),\(row.anonymousBytes / 1024),"
                + "\(Formatting.number(row.cpuPercent, decimals: 1, grouped: false)),\(row.delivered),"
                + latency.joined(separator: ",") + "\n"
        }
        return text
    }
}
