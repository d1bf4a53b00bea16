/// The rows of `perch-bench coap`.
struct CoAPResultTable {
    private var table = MarkdownTable([
        ("type", .left), ("clients", .right), ("offered/s", .right), ("sent/s", .right), ("2.04/s", .right),
        ("at broker/s", .right), ("loss", .right), ("resent / gave up", .right), ("2.04 p50", .right), ("2.04 p99", .right),
        ("broker p50", .right), ("broker p99", .right), ("perchd CPU", .right), ("µs/msg", .right),
        ("perchd RSS idle → peak", .right), ("UDP drops", .right), ("bench CPU", .right),
    ])
    private(set) var failures = 0

    /// Runs `measure` and adds its row, or a row saying why it failed.
    mutating func add(_ settings: CoAPCase, _ measure: () async throws -> CoAPCaseResult) async {
        let leading = [settings.modeText, "\(settings.clients)", settings.rateText]
        do {
            table.append(leading + Self.cells(try await measure()))
        } catch {
            failures += 1
            let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "failed"
            table.append(leading + ["failed: " + reason.replacingOccurrences(of: "|", with: "/")])
        }
    }

    func render() -> String { table.render() }

    private static func cells(_ result: CoAPCaseResult) -> [String] {
        let report = result.report
        var loss = Formatting.number(result.lossPercent, decimals: 2) + " %"
        if report.unacknowledged > 0 { loss += " (\(report.unacknowledged) unacked)" }
        if !report.otherResponsesText.isEmpty { loss += " (\(report.otherResponsesText))" }
        if report.sendFailures > 0 { loss += " (\(report.sendFailures) send errors)" }
        let perchd = result.perchd
        let isConfirmable = result.settings.isConfirmable
        return [
            Formatting.number(report.sentPerSecond),
            Formatting.number(report.changedPerSecond),
            Formatting.number(result.arrivedPerSecond),
            loss,
            isConfirmable ? "\(report.retransmissions) / \(report.abandoned)" : "",
            result.ackLatency(0.5).map(Formatting.milliseconds) ?? "—",
            result.ackLatency(0.99).map(Formatting.milliseconds) ?? "—",
            result.brokerLatency(0.5).map(Formatting.milliseconds) ?? "—",
            result.brokerLatency(0.99).map(Formatting.milliseconds) ?? "—",
            Formatting.number(perchd.cpuPercent) + " %",
            result.perchdMicrosecondsPerMessage.map { Formatting.number($0, decimals: 1) } ?? "",
            Formatting.bytes(perchd.idleResidentBytes) + " → " + Formatting.bytes(perchd.peakResidentBytes),
            perchd.udpDrops.map { Formatting.number(Double($0)) } ?? "?",
            Formatting.number(result.benchCPUPercent) + " %",
        ]
    }
}
