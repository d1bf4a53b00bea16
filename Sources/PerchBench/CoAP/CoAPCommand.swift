import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PerchTestKit

/// `perch-bench coap`: N simulated CoAP sensors PUT over UDP through perchd to
/// a real Mosquitto, NON and CON; one MQTT subscriber counts what arrives.
struct CoAPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coap",
        abstract: "CoAP PUT through perchd to Mosquitto (N sensors, NON paced and unpaced, CON with a window of 1 and more)."
    )

    @Option(help: "The perchd to measure (default: $PERCHD_BINARY, else the one next to perch-bench).")
    var perchd: String?

    @Option(help: "Seconds of sending per case (default: $BENCH_COAP_SECONDS, else 2).")
    var seconds: Double?

    @Option(help: "Sensor counts, comma-separated.")
    var clients = "1,10,100"

    @Option(help: "NON aggregate rates in msgs/s, comma-separated; \"unpaced\" for as fast as possible; \"\" for no NON rows.")
    var rates = "20000,unpaced"

    @Option(help: "CON windows (requests awaiting their 2.04 per sensor), comma-separated; \"\" for no CON rows.")
    var windows = "1,8"

    func run() async throws {
        let executable = try perchd ?? PerchdBinary.url().path
        let seconds = try caseSeconds()
        let counts = try Self.list(clients, name: "clients") { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } }
        let nonRates: [Int?] = try Self.list(rates, name: "rates") { word -> Int?? in
            if word == "unpaced" { return .some(nil) }
            guard let rate = Int(word), rate > 0 else { return nil }
            return .some(rate)
        }
        let conWindows = try Self.list(windows, name: "windows") { Int($0).flatMap { (1...64).contains($0) ? $0 : nil } }
        PosixSocket.raiseDescriptorLimit()
        let load = (try? ProcFile.read("/proc/loadavg"))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        print("""
            CoAP: PUT /ps/bench/c<case>/<sensor> with \(BenchPayload.size)-byte payloads, one UDP socket per sensor, \
            through \(executable) (release, log level warning) to Mosquitto on 127.0.0.1 (quiet logging); \
            one MQTT subscriber counts. \(Formatting.number(seconds, decimals: 1)) s of sending per case. \
            CON carries qos=1 and retransmits per RFC 7252 §4.2 (ACK_TIMEOUT 2 s, MAX_RETRANSMIT 4); \
            a window above 1 exceeds RFC 7252 §4.7's default NSTART of 1. Load average at start: \(load).

            """)
        var logger = Logger(label: "perch-bench")
        logger.logLevel = .warning
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let outcome: Result<CoAPResultTable, any Error>
        do {
            var tag = UInt32(truncatingIfNeeded: getpid()) % 1000 * 1000 + 500
            var cases: [CoAPCase] = []
            for count in counts {
                for rate in nonRates { cases.append(make(.nonConfirmable(rate: rate), clients: count, seconds: seconds, tag: &tag)) }
                for window in conWindows { cases.append(make(.confirmable(window: window), clients: count, seconds: seconds, tag: &tag)) }
            }
            outcome = .success(try await measure(cases, executable: executable, group: group, logger: logger))
        } catch {
            outcome = .failure(error)
        }
        try await group.shutdownGracefully()
        let table = try outcome.get()
        print(table.render())
        if table.failures > 0 {
            throw BenchError.notAnswering("\(table.failures) CoAP case(s) failed (see the table)")
        }
    }

    private func measure(
        _ cases: [CoAPCase], executable: String, group: MultiThreadedEventLoopGroup, logger: Logger
    ) async throws -> CoAPResultTable {
        var table = CoAPResultTable()
        // A failed case is a row saying why, so the broker always reaches its shutdown.
        let broker = try await MosquittoFixture.start(tls: .none, quiet: true)
        let runner = CoAPCaseRunner(broker: broker, perchdExecutable: executable, eventLoopGroup: group, logger: logger)
        for settings in cases {
            await table.add(settings) { try await runner.run(settings) }
        }
        await broker.shutdown()
        return table
    }

    private func make(_ mode: CoAPCase.Mode, clients: Int, seconds: Double, tag: inout UInt32) -> CoAPCase {
        tag &+= 1
        return CoAPCase(mode: mode, clients: clients, durationNanoseconds: UInt64(seconds * 1e9), caseTag: tag)
    }

    private func caseSeconds() throws -> Double {
        let value = seconds ?? ProcessInfo.processInfo.environment["BENCH_COAP_SECONDS"].flatMap { Double($0) } ?? 2
        guard value > 0, value <= 600 else { throw BenchError.invalidSetting("seconds must be in (0, 600], got \(value)") }
        return value
    }

    /// The comma-separated `text`, each element through `parse` (nil: invalid).
    private static func list<T>(_ text: String, name: String, _ parse: (String) -> T?) throws -> [T] {
        try text.split(separator: ",").map { part in
            let word = part.trimmingCharacters(in: .whitespaces)
            guard let value = parse(word) else { throw BenchError.invalidSetting("\(name): \"\(word)\"") }
            return value
        }
    }
}
