/// The rows of `perch-bench mqttsn` and the summary against the targets.
struct ResultTable {
    private var table = MarkdownTable([
        ("path", .left), ("clients", .right), ("QoS", .right), ("offered/s", .right), ("sent/s", .right),
        ("delivered/s", .right), ("loss", .right), ("dup / late", .right), ("p50", .right), ("p99", .right),
        ("perchd CPU", .right), ("µs/msg", .right), ("perchd RSS idle → peak", .right), ("UDP drops", .right), ("bench CPU", .right),
    ])
    private var results: [CaseResult] = []

    /// Runs `measure` and adds its row, or a row saying why it failed.
    mutating func add(_ settings: LoadSettings, _ measure: () async throws -> CaseResult) async {
        let leading = [settings.pathText, "\(settings.clients)", settings.isQoS1 ? "1" : "0", settings.rateText]
        do {
            let result = try await measure()
            results.append(result)
            table.append(leading + Self.cells(result))
        } catch {
            let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "failed"
            table.append(leading + ["failed: " + reason.replacingOccurrences(of: "|", with: "/")])
        }
    }

    func render() -> String { table.render() }

    /// The four targets, each with the best row that bears on it.
    func targetSummary() -> String {
        let perchd = results.filter { $0.perchd != nil && $0.settings.path == .perchd(tls: false) }
        var lines = ["Against the targets (perchd rows, plain uplink):", ""]
        let qos0 = perchd.filter { !$0.settings.isQoS1 && $0.lossPercent < 0.1 }.max { $0.deliveredPerSecond < $1.deliveredPerSecond }
        lines.append("- QoS 0, ≥ 120,000 msgs/s with < 0.1 % loss: " + (qos0.map {
            "best \(Formatting.number($0.deliveredPerSecond)) msgs/s (\($0.settings.clients) clients, \($0.settings.rateText)) — "
                + ($0.deliveredPerSecond >= 120_000 ? "met" : "**not met**")
        } ?? "**no row with < 0.1 % loss**"))
        let qos1 = perchd.filter { $0.settings.isQoS1 && $0.tally.unique >= $0.report.sent }.max { $0.deliveredPerSecond < $1.deliveredPerSecond }
        lines.append("- QoS 1, window 10, ≥ 80,000 msgs/s with no loss: " + (qos1.map {
            "best \(Formatting.number($0.deliveredPerSecond)) msgs/s (\($0.settings.clients) clients, \($0.settings.rateText)) — "
                + ($0.deliveredPerSecond >= 80_000 ? "met" : "**not met**")
        } ?? "**no row without loss**"))
        let slow = perchd.filter { $0.settings.rate == 20_000 }
        let worstP99 = slow.compactMap { $0.latency(0.99) }.max()
        lines.append("- p99 < 1 ms at 20,000 msgs/s: " + (worstP99.map {
            "worst p99 \(Formatting.microseconds($0)) over \(slow.count) rows — " + ($0 < .milliseconds(1) ? "met" : "**not met**")
        } ?? "**no row**"))
        let thousand = perchd.filter { $0.settings.clients == 1000 }.compactMap { $0.perchd?.idleResidentBytes }.max()
        lines.append("- RSS < 32 MB with 1,000 connected clients: " + (thousand.map {
            "\(Formatting.bytes($0)) (\(Formatting.number(Double($0) / 1e6, decimals: 1)) MB) idle — " + ($0 < 32_000_000 ? "met" : "**not met**")
        } ?? "**no row**"))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cells(_ result: CaseResult) -> [String] {
        let report = result.report
        var loss = Formatting.number(result.lossPercent, decimals: 2) + " %"
        if report.unacknowledged > 0 { loss += " (\(report.unacknowledged) unacked)" }
        if report.retransmissions > 0 { loss += " (\(report.retransmissions) resent)" }
        let perchd = result.perchd
        let latency = result.latencies(at: [0.5, 0.99])
        return [
            Formatting.number(report.sentPerSecond),
            Formatting.number(result.deliveredPerSecond),
            loss,
            "\(result.tally.duplicates) / \(result.tally.outOfOrder)",
            latency[0].map(Formatting.milliseconds) ?? "—",
            latency[1].map(Formatting.milliseconds) ?? "—",
            perchd.map { Formatting.number($0.cpuPercent) + " %" } ?? "",
            result.perchdMicrosecondsPerMessage.map { Formatting.number($0, decimals: 1) } ?? "",
            perchd.map { Formatting.bytes($0.idleResidentBytes) + " → " + Formatting.bytes($0.peakResidentBytes) } ?? "",
            perchd.map { $0.udpDrops.map { Formatting.number(Double($0)) } ?? "?" } ?? "",
            Formatting.number(result.benchCPUPercent) + " %",
        ]
    }
}
