/// Everything measured in one case, for one table row.
struct CaseResult: Sendable {
    /// perchd's figures (nil for the direct-MQTT ceiling).
    struct PerchdFigures: Sendable {
        /// RSS with the case's clients connected and registered, before publishing.
        var idleResidentBytes: Int
        /// VmHWM at the end of the case.
        var peakResidentBytes: Int
        /// utime + stime over the publishing and counting time, in % of one core.
        var cpuPercent: Double
        /// utime + stime over the same time, in seconds.
        var cpuSeconds: Double
        /// Kernel receive-buffer drops at perchd's socket during the case (nil: socket not found).
        var udpDrops: Int?
    }

    var settings: LoadSettings
    var report: LoadReport
    var tally: DeliveryTally
    var perchd: PerchdFigures?
    /// CPU of this process (generator and counter) over the same time, in % of one core.
    var benchCPUPercent: Double
    /// perchd's RSS and CPU every `CaseRunner.sampleInterval` (empty when not sampled).
    var timeline: [ResourcePoint] = []

    /// Distinct messages delivered per second, from the first send to the last arrival.
    var deliveredPerSecond: Double {
        guard tally.unique > 0, tally.lastArrival > report.startNanoseconds else { return 0 }
        return Double(tally.unique) / (Double(tally.lastArrival - report.startNanoseconds) / 1e9)
    }

    /// Messages sent and never delivered, in % of those sent.
    var lossPercent: Double {
        guard report.sent > 0 else { return 0 }
        return Double(max(report.sent - tally.unique, 0)) / Double(report.sent) * 100
    }

    /// perchd's CPU time per delivered message, in microseconds: the figure to bring down.
    var perchdMicrosecondsPerMessage: Double? {
        guard let perchd, tally.unique > 0 else { return nil }
        return perchd.cpuSeconds / Double(tally.unique) * 1e6
    }

    /// The latency at `fraction` (nearest rank).
    func latency(_ fraction: Double) -> Duration? {
        latencies(at: [fraction])[0]
    }

    /// The latencies at each of `fractions`, from one sort (a soak holds tens of millions).
    func latencies(at fractions: [Double]) -> [Duration?] {
        let sorted = tally.latencies.sorted()
        return fractions.map { fraction in Statistics.percentile(fraction, ofSorted: sorted).map { Duration.nanoseconds(Int64($0)) } }
    }
}
