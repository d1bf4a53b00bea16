/// Everything measured in one CoAP case, for one table row.
struct CoAPCaseResult: Sendable {
    var settings: CoAPCase
    var report: CoAPLoadReport
    /// What reached the broker.
    var tally: DeliveryTally
    var perchd: CaseResult.PerchdFigures
    /// CPU of this process (generator and counter) over the same time, in % of one core.
    var benchCPUPercent: Double

    /// Distinct messages at the broker per second, from the first send to the last arrival.
    var arrivedPerSecond: Double {
        guard tally.unique > 0, tally.lastArrival > report.startNanoseconds else { return 0 }
        return Double(tally.unique) / (Double(tally.lastArrival - report.startNanoseconds) / 1e9)
    }

    /// Requests sent that never reached the broker, in % of those sent.
    var lossPercent: Double {
        guard report.sent > 0 else { return 0 }
        return Double(max(report.sent - tally.unique, 0)) / Double(report.sent) * 100
    }

    /// perchd's CPU time per message that reached the broker, in microseconds.
    var perchdMicrosecondsPerMessage: Double? {
        guard tally.unique > 0 else { return nil }
        return perchd.cpuSeconds / Double(tally.unique) * 1e6
    }

    /// Send to 2.04, at `fraction` (nearest rank); nil for NON.
    func ackLatency(_ fraction: Double) -> Duration? {
        Statistics.percentile(fraction, of: report.ackLatencies.map { Duration.nanoseconds(Int64($0)) })
    }

    /// Send to the broker's delivery to the counter, at `fraction` (nearest rank).
    func brokerLatency(_ fraction: Double) -> Duration? {
        Statistics.percentile(fraction, of: tally.latencies.map { Duration.nanoseconds(Int64($0)) })
    }
}
