import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PerchTestKit

/// `perch-bench mqttsn`: N MQTT-SN clients publishing over UDP through perchd to
/// a real Mosquitto, next to N MQTT publishers straight into the same broker
/// (the ceiling), counted by one subscriber: delivered msgs/s, loss, latency,
/// perchd's memory and CPU.
struct MQTTSNCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqttsn",
        abstract: "MQTT-SN through perchd to Mosquitto (N clients, paced and unpaced, QoS 0 and 1) against direct MQTT."
    )

    @Option(help: "The perchd to measure (default: $PERCHD_BINARY, else the one next to perch-bench).")
    var perchd: String?

    @Option(help: "Seconds of publishing per case (default: $BENCH_MQTTSN_SECONDS, else 2).")
    var seconds: Double?

    @Option(help: "Client counts, comma-separated.")
    var clients = "1,100,1000"

    @Option(help: "Aggregate rates in msgs/s, comma-separated; \"unpaced\" for as fast as possible.")
    var rates = "20000,50000,100000,unpaced"

    @Option(help: "QoS levels, comma-separated (0 and 1).")
    var qos = "0,1"

    @Option(help: "Unacknowledged QoS 1 messages per client.")
    var window = 10

    @Option(help: "perchd's mqttsn.receive_buffer, if its configuration has that key.")
    var receiveBuffer = "8MiB"

    @Flag(help: "Skip the direct-MQTT ceiling rows.")
    var noCeiling = false

    @Flag(help: "Skip the perchd rows (the ceiling only).")
    var noPerchd = false

    @Flag(help: "Skip the rows with perchd's uplink over TLS.")
    var noTLS = false

    func run() async throws {
        // The ceiling alone needs no perchd.
        let executable = noPerchd ? (perchd ?? "perchd") : try perchd ?? PerchdBinary.url().path
        let grid = try Grid(
            clients: Self.integers(clients, name: "clients"), rates: Self.rates(rates),
            qos: Self.integers(qos, name: "qos"), window: window, seconds: try caseSeconds())
        PosixSocket.raiseDescriptorLimit()
        var acceptsBuffer = false
        if !noPerchd { acceptsBuffer = await PerchdUnderTest.acceptsReceiveBuffer(executable: executable, size: receiveBuffer) }
        let load = (try? ProcFile.read("/proc/loadavg"))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        print("""
            MQTT-SN: \(BenchPayload.size)-byte payloads, one UDP socket per client through \(executable) \
            (release, log level warning, mqttsn.receive_buffer \(acceptsBuffer ? receiveBuffer : "not supported: kernel default")) \
            to Mosquitto on 127.0.0.1 (quiet logging), against MQTT 5 publishers over TCP straight into the same broker; \
            one MQTT subscriber counts. \(Formatting.number(grid.seconds, decimals: 1)) s of publishing per case, \
            QoS 1 window \(window) per client. Load average at start: \(load).

            """)
        var logger = Logger(label: "perch-bench")
        logger.logLevel = .warning
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let outcome: Result<ResultTable, any Error>
        do {
            outcome = .success(try await measure(grid: grid, executable: executable, acceptsBuffer: acceptsBuffer, group: group, logger: logger))
        } catch {
            outcome = .failure(error)
        }
        try await group.shutdownGracefully()
        let table = try outcome.get()
        print(table.render())
        print(table.targetSummary())
    }

    private func measure(
        grid: Grid, executable: String, acceptsBuffer: Bool, group: MultiThreadedEventLoopGroup, logger: Logger
    ) async throws -> ResultTable {
        var table = ResultTable()
        var tag = UInt32(truncatingIfNeeded: getpid()) % 1000 * 1000
        // A failed case is a row saying why, so the broker always reaches its shutdown.
        let plain = try await MosquittoFixture.start(tls: .none, quiet: true)
        let runner = CaseRunner(
            broker: plain, perchdExecutable: executable, receiveBuffer: acceptsBuffer ? receiveBuffer : nil,
            eventLoopGroup: group, logger: logger)
        for settings in grid.cases(paths: paths(), firstTag: &tag) {
            await table.add(settings) { try await runner.run(settings) }
        }
        await plain.shutdown()
        if !noTLS && !noPerchd {
            let secure = try await MosquittoFixture.start(tls: .serverAuth, quiet: true)
            let runner = CaseRunner(
                broker: secure, perchdExecutable: executable, receiveBuffer: acceptsBuffer ? receiveBuffer : nil,
                eventLoopGroup: group, logger: logger)
            for settings in grid.tlsCases(firstTag: &tag) {
                await table.add(settings) { try await runner.run(settings) }
            }
            await secure.shutdown()
        }
        return table
    }

    private func paths() -> [LoadSettings.Path] {
        (noCeiling ? [] : [.directMQTT]) + (noPerchd ? [] : [.perchd(tls: false)])
    }

    private func caseSeconds() throws -> Double {
        let value = seconds ?? ProcessInfo.processInfo.environment["BENCH_MQTTSN_SECONDS"].flatMap { Double($0) } ?? 2
        guard value > 0, value <= 600 else { throw BenchError.invalidSetting("seconds must be in (0, 600], got \(value)") }
        return value
    }

    private static func integers(_ text: String, name: String) throws -> [Int] {
        try text.split(separator: ",").map { part in
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw BenchError.invalidSetting("\(name): \"\(part)\" is not a count")
            }
            return value
        }
    }

    private static func rates(_ text: String) throws -> [Int?] {
        try text.split(separator: ",").map { part -> Int? in
            let word = part.trimmingCharacters(in: .whitespaces)
            if word == "unpaced" { return nil }
            guard let value = Int(word), value > 0 else { throw BenchError.invalidSetting("rates: \"\(word)\"") }
            return value
        }
    }
}
