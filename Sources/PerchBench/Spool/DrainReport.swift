/// The tables of `perch-bench spool-drain`, in Markdown.
struct DrainReport {
    let messages: Int
    let clients: Int
    let window: Int
    let outage: DrainOutageRun.Figures
    let baseline: (outcome: DrainCounter.Outcome, nanoseconds: UInt64?)?
    let flash: DrainFlashRun.Figures?

    func render() -> String {
        [outageTable(), drainTable(), flashTable()].compactMap { $0 }.joined(separator: "\n")
    }

    private func outageTable() -> String {
        let report = outage.publisher
        let seconds = Double(report.nanoseconds) / 1e9
        let rate = Double(report.acknowledged) / seconds
        var table = MarkdownTable([("outage: broker unreachable", .left), ("value", .right)])
        table.append(["QoS 1 messages sent (window \(window) per client, \(clients) clients)", Formatting.number(Double(report.sent))])
        table.append(["PUBACKs received (from the spool's commits)", Formatting.number(Double(report.acknowledged))])
        table.append(["… of which refused (congestion)", "\(report.refusals)"])
        table.append(["retransmissions (DUP, after 2 s) / UDP drops at perchd", "\(report.retransmissions) / \(outage.udpDrops.map(String.init) ?? "?")"])
        table.append(["first PUBLISH to last PUBACK", Formatting.number(seconds, decimals: 2) + " s"])
        table.append(["perchd CPU meanwhile (utime+stime, % of one core)", Formatting.number(outage.cpuPercentOffline) + " %"])
        table.append([
            "**durable append rate** (PUBACKs/s; aim ≥ 50,000)",
            "**" + Formatting.number(rate) + "** (" + (rate >= DrainCommand.appendTarget ? "met" : "not met") + ")",
        ])
        table.append(["perch.db + perch.db-wal after the outage", Formatting.bytes(outage.fileBytesOffline)])
        table.append(["… per message", Formatting.number(Double(outage.fileBytesOffline) / Double(max(report.sent, 1)), decimals: 1) + " B"])
        table.append(["perchd's write_bytes during the outage, per message", Formatting.number(Double(outage.writtenOffline) / Double(max(report.sent, 1)), decimals: 1) + " B"])
        return table.render()
    }

    private func drainTable() -> String {
        var table = MarkdownTable([
            ("drain of \(Formatting.number(Double(outage.publisher.sent))) QoS 1 messages", .left), ("time", .right), ("msgs/s", .right),
            ("arrived", .right), ("duplicates", .right), ("order kept", .left), ("perchd CPU", .right),
        ])
        let perchdRate = row(
            &table, "perchd: spool → uplink (from its connection to the last message)",
            DrainCounter.Outcome(tally: outage.tally, order: outage.order), outage.drainNanoseconds,
            cpu: Formatting.number(outage.cpuPercentDrain) + " %")
        var verdict = ""
        if let baseline {
            let direct = row(&table, "direct: Perch's `Uplink` alone, same window (ceiling)", baseline.outcome, baseline.nanoseconds, cpu: "")
            if let perchdRate, let direct {
                let share = perchdRate / direct * 100
                verdict = "\nThe drain runs at \(Formatting.number(share)) % of the direct rate: "
                    + (share >= 80 ? "limited by the broker (and the window of 20), not by the spool.\n" : "**the spool (or perchd) limits it**, not the broker.\n")
            }
        }
        let reconnect = outage.reconnectNanoseconds.map { "; perchd reconnected \(Formatting.number(Double($0) / 1e6)) ms after the link came up (back-off 250 ms)" } ?? ""
        return table.render() + verdict
            + "\nperch.db + perch.db-wal after the drain: \(Formatting.bytes(outage.fileBytesAfter))\(reconnect).\n"
    }

    /// Appends a drain row; returns its rate when every message arrived.
    private func row(
        _ table: inout MarkdownTable, _ name: String, _ outcome: DrainCounter.Outcome, _ nanoseconds: UInt64?, cpu: String
    ) -> Double? {
        let tally = outcome.tally
        let order = outcome.order
        let resent = order.resentArrivals > 0 ? " (\(order.resentArrivals) resent by their sensor left out)" : ""
        let expected = outage.publisher.sent
        let rate = nanoseconds.map { Double(tally.unique) / (Double($0) / 1e9) }
        table.append([
            name,
            nanoseconds.map { Formatting.number(Double($0) / 1e9, decimals: 2) + " s" } ?? "—",
            rate.map { Formatting.number($0) } ?? "—",
            "\(Formatting.number(Double(tally.unique))) of \(Formatting.number(Double(expected)))",
            "\(tally.duplicates)",
            (order.late == 0 ? "yes" : "**no** (\(order.late) late)") + resent,
            cpu,
        ])
        return tally.unique == expected ? rate : nil
    }

    private func flashTable() -> String? {
        guard let flash else { return nil }
        let seconds = Double(flash.report.sendingNanoseconds) / 1e9
        var table = MarkdownTable([("steady online traffic", .left), ("value", .right)])
        table.append([
            "QoS 1 messages from \(clients) MQTT-SN clients over \(Formatting.number(seconds, decimals: 1)) s",
            Formatting.number(Double(flash.report.sent)) + " (" + Formatting.number(flash.report.sentPerSecond) + " msgs/s)",
        ])
        table.append(["written after the clients' CONNECT/REGISTER, before publishing (their records)", "\(flash.writtenBeforePublishing) B"])
        table.append(["unacknowledged / refused at the end", "\(flash.report.unacknowledged) / \(flash.report.refusals)"])
        table.append([
            "**perchd's write_bytes** during the run (aim ~0)",
            "**\(flash.writtenBytes) B** (" + Formatting.number(Double(flash.writtenBytes) / Double(max(flash.report.sent, 1)), decimals: 2) + " B/msg)",
        ])
        let firstSecond = flash.writtenPerSecond.first ?? 0
        let rest = flash.writtenPerSecond.dropFirst().reduce(0, +)
        table.append(["… in the first second / in the rest of the run", "\(firstSecond) B / \(rest) B"])
        table.append(["perch.db + perch.db-wal before → after", "\(Formatting.bytes(flash.fileBytesBefore)) → \(Formatting.bytes(flash.fileBytesAfter))"])
        return table.render()
    }
}
