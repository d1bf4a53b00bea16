import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PerchTestKit

/// `perch-bench soak`: one long MQTT-SN case through perchd to a real
/// Mosquitto at a steady rate (by default half the best lossless QoS 1 rate in
/// `Docs/benchmarks.md`), perchd's RSS and CPU and the end-to-end latency
/// sampled every interval. A flat RSS line, no loss and no reordering are the
/// pass (issue 8); the verdict is printed, the figures go to `Docs/reliability.md`.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "perchd under steady MQTT-SN load for a long time: RSS, CPU and latency every interval."
    )

    @Option(help: "The perchd to measure (default: $PERCHD_BINARY, else the one next to perch-bench).")
    var perchd: String?

    @Option(help: "Seconds of publishing, up to a day.")
    var seconds: Double = 3600

    @Option(help: "Simulated MQTT-SN clients.")
    var clients = 100

    @Option(help: "Aggregate rate in msgs/s.")
    var rate = 13_000

    @Option(help: "QoS (0 or 1).")
    var qos = 1

    @Option(help: "Unacknowledged QoS 1 messages per client.")
    var window = 10

    @Option(help: "Seconds between samples.")
    var interval: Double = 10

    @Option(help: "Seconds at the start left out of the RSS trend.")
    var warmUp: Double = 60

    @Option(help: "Where to write the samples as CSV (seconds, rss_kib, anon_kib, cpu_percent, delivered, p50_us, p99_us, max_us).")
    var csv: String?

    @Option(help: "perchd's mqttsn.receive_buffer.")
    var receiveBuffer = "8MiB"

    func validate() throws {
        guard seconds > 0, seconds <= 86_400 else { throw ValidationError("--seconds must be in (0, 86400]") }
        guard interval >= 1, interval <= seconds else { throw ValidationError("--interval must be in [1, --seconds]") }
        guard rate > 0 else { throw ValidationError("--rate must be positive") }
        guard warmUp >= 0, warmUp < seconds else { throw ValidationError("--warm-up must be in [0, --seconds)") }
    }

    func run() async throws {
        let executable = try perchd ?? PerchdBinary.url().path
        let grid = try Grid(clients: [clients], rates: [rate], qos: [qos], window: window, seconds: seconds)
        var tag = UInt32(truncatingIfNeeded: getpid()) % 1000 * 1000
        guard let settings = grid.cases(paths: [.perchd(tls: false)], firstTag: &tag).first else {
            throw BenchError.invalidSetting("no case")
        }
        PosixSocket.raiseDescriptorLimit()
        let acceptsBuffer = await PerchdUnderTest.acceptsReceiveBuffer(executable: executable, size: receiveBuffer)
        let load = (try? ProcFile.read("/proc/loadavg"))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        print("""
            Soak: \(clients) MQTT-SN clients at QoS \(qos) (window \(window)), \(Formatting.number(Double(rate))) msgs/s aggregate \
            for \(Formatting.number(seconds)) s, \(BenchPayload.size)-byte payloads, through \(executable) (release, log level \
            warning) to Mosquitto on 127.0.0.1 over plain TCP; one MQTT subscriber counts. Sampled every \
            \(Formatting.number(interval)) s; the RSS trend leaves out the first \(Formatting.number(warmUp)) s. \
            Load average at start: \(load).

            """)
        var logger = Logger(label: "perch-bench")
        logger.logLevel = .warning
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let broker = try await MosquittoFixture.start(tls: .none, quiet: true)
        let outcome: Result<CaseResult, any Error>
        do {
            var runner = CaseRunner(
                broker: broker, perchdExecutable: executable, receiveBuffer: acceptsBuffer ? receiveBuffer : nil,
                eventLoopGroup: group, logger: logger)
            runner.sampleInterval = .milliseconds(Int64(interval * 1000))
            outcome = .success(try await runner.run(settings))
        } catch {
            outcome = .failure(error)
        }
        await broker.shutdown()
        try await group.shutdownGracefully()
        let result = try outcome.get()

        let timeline = SoakTimeline(points: result.timeline, tally: result.tally, ticksPerSecond: ProcessSample.ticksPerSecond)
        if let csv { try timeline.csv().write(toFile: csv, atomically: true, encoding: .utf8) }
        print(Self.render(result, timeline: timeline, warmUp: .milliseconds(Int64(warmUp * 1000))))
        if !Self.passed(result, timeline: timeline, warmUp: .milliseconds(Int64(warmUp * 1000))) { throw ExitCode(1) }
    }

    /// No message lost or reordered, and a flat RSS line.
    static func passed(_ result: CaseResult, timeline: SoakTimeline, warmUp: Duration) -> Bool {
        result.tally.unique >= result.report.sent && result.tally.outOfOrder == 0 && timeline.trend(after: warmUp)?.isFlat == true
    }

    static func render(_ result: CaseResult, timeline: SoakTimeline, warmUp: Duration) -> String {
        let report = result.report
        let tally = result.tally
        let latency = result.latencies(at: [0.5, 0.99])
        var delivery = MarkdownTable([
            ("sent", .right), ("delivered", .right), ("lost", .right), ("duplicates", .right), ("out of order", .right),
            ("resent", .right), ("unacked", .right), ("delivered/s", .right), ("p50", .right), ("p99", .right),
            ("perchd CPU", .right), ("µs/msg", .right),
        ])
        delivery.append([
            Formatting.number(Double(report.sent)), Formatting.number(Double(tally.unique)),
            Formatting.number(Double(max(report.sent - tally.unique, 0))), Formatting.number(Double(tally.duplicates)),
            Formatting.number(Double(tally.outOfOrder)), Formatting.number(Double(report.retransmissions)),
            Formatting.number(Double(report.unacknowledged)), Formatting.number(result.deliveredPerSecond),
            latency[0].map(Formatting.milliseconds) ?? "—", latency[1].map(Formatting.milliseconds) ?? "—",
            result.perchd.map { Formatting.number($0.cpuPercent) + " %" } ?? "—",
            result.perchdMicrosecondsPerMessage.map { Formatting.number($0, decimals: 1) } ?? "—",
        ])
        var text = delivery.render() + "\n"

        guard let trend = timeline.trend(after: warmUp) else {
            return text + "Too few samples for an RSS trend (\(timeline.rows.count) rows).\n\n**Soak: not judged.**\n"
        }
        var memory = MarkdownTable([
            ("after warm-up", .left), ("samples", .right), ("first", .right), ("last", .right), ("min", .right), ("max", .right),
            ("slope", .right), ("fitted change", .right),
        ])
        for (name, series) in [("VmRSS (peak \(result.perchd.map { Formatting.bytes($0.peakResidentBytes) } ?? "—"))", trend),
                               ("RssAnon (heap, stacks)", timeline.trend(after: warmUp, of: \.anonymousBytes))] {
            guard let series else { continue }
            memory.append([
                name, "\(series.rows)", Formatting.bytes(series.firstBytes), Formatting.bytes(series.lastBytes),
                Formatting.bytes(series.minimumBytes), Formatting.bytes(series.maximumBytes),
                Self.signedMiB(series.bytesPerHour) + "/h", Self.signedMiB(series.fittedChangeBytes),
            ])
        }
        text += memory.render() + "\n"

        let steady = timeline.rows.filter { $0.end > warmUp }
        let p99s = steady.compactMap(\.p99).sorted()
        let p50s = steady.compactMap(\.p50).sorted()
        let rates = steady.map(\.deliveredPerSecond).sorted()
        let cpus = steady.map(\.cpuPercent).sorted()
        var windows = MarkdownTable([("per interval, after warm-up", .left), ("min", .right), ("median", .right), ("max", .right)])
        func row(_ name: String, _ values: [Double], _ format: (Double) -> String) {
            guard let low = values.first, let high = values.last else { return }
            windows.append([name, format(low), format(values[values.count / 2]), format(high)])
        }
        row("delivered/s", rates) { Formatting.number($0) }
        row("p50", p50s.map { Double($0) }) { Formatting.number($0 / 1e6, decimals: 2) + " ms" }
        row("p99", p99s.map { Double($0) }) { Formatting.number($0 / 1e6, decimals: 2) + " ms" }
        row("perchd CPU", cpus) { Formatting.number($0) + " %" }
        text += windows.render() + "\n"

        let verdict = passed(result, timeline: timeline, warmUp: warmUp)
        text += "**Soak: \(verdict ? "passed" : "FAILED")** — RSS \(trend.isFlat ? "flat" : "not flat") "
            + "(fitted change \(Self.signedMiB(trend.fittedChangeBytes)), limit ±1 MiB or 2 % of the mean), "
            + "\(Formatting.number(Double(max(report.sent - tally.unique, 0)))) lost, \(tally.outOfOrder) out of order.\n"
        return text
    }

    private static func signedMiB(_ bytes: Double) -> String {
        (bytes >= 0 ? "+" : "−") + Formatting.number(abs(bytes) / Double(1 << 20), decimals: 2) + " MiB"
    }
}
