import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PerchTestKit

/// `perch-bench spool-drain`: the spool end to end through a release perchd and
/// a real Mosquitto over TLS: the durable append rate while the broker is
/// unreachable, the drain once it is back against the same messages published
/// straight to the broker, and the disk writes of steady online traffic.
struct DrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool-drain",
        abstract: "perchd's spool: durable appends during an outage, the drain after it (vs. direct publishing), disk writes online."
    )

    @Option(help: "The perchd to measure (default: $PERCHD_BINARY, else the one next to perch-bench).")
    var perchd: String?

    @Option(help: "MQTT-SN QoS 1 messages published during the outage.")
    var messages = 100_000

    @Option(help: "MQTT-SN clients, each with its own UDP socket.")
    var clients = 10

    @Option(help: "Unacknowledged PUBLISHes per client during the outage (large, so the group commit sets the pace).")
    var window = 500

    @Option(help: "perchd's mqttsn.receive_buffer, if its configuration has that key.")
    var receiveBuffer = "8MiB"

    @Option(help: "Aggregate msgs/s of the online (flash) run.")
    var flashRate = 1000

    @Option(help: "Seconds of the online (flash) run.")
    var flashSeconds = 30.0

    @Flag(help: "Skip the direct-publishing baseline.")
    var noBaseline = false

    @Flag(help: "Skip the online (flash) run.")
    var noFlash = false

    /// The issue's aim for durable appends on this machine.
    static let appendTarget = 50_000.0

    func run() async throws {
        guard (1...1_000_000).contains(messages), (1...1000).contains(clients), (1...60_000).contains(window),
            (1...100_000).contains(flashRate), flashSeconds > 0, flashSeconds <= 600
        else { throw BenchError.invalidSetting("messages 1…1000000, clients 1…1000, window 1…60000, flash-rate 1…100000, flash-seconds (0, 600]") }
        let executable = try perchd ?? PerchdBinary.url().path
        PosixSocket.raiseDescriptorLimit()
        let acceptsBuffer = await PerchdUnderTest.acceptsReceiveBuffer(executable: executable, size: receiveBuffer)
        let buffer = acceptsBuffer ? receiveBuffer : nil
        let load = (try? ProcFile.read("/proc/loadavg"))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        print("""
            Spool end to end: \(executable) (release, log level warning, spool defaults: commit_interval 100ms, \
            WAL + synchronous=FULL, state directory in \(NSTemporaryDirectory())), uplink over TLS to Mosquitto on 127.0.0.1 \
            (quiet logging, max_inflight_messages 20 = Receive Maximum). \(clients) MQTT-SN clients, \
            \(BenchPayload.size)-byte payloads, topics `bench/c<case>/<client>`. Load average at start: \(load).

            """)
        var logger = Logger(label: "perch-bench")
        logger.logLevel = .warning
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let broker: MosquittoFixture
        do {
            broker = try await MosquittoFixture.start(tls: .serverAuth, quiet: true)
        } catch {
            try await group.shutdownGracefully()
            throw error
        }
        // A failure still reaches the broker's and the event loop's shutdown.
        let outcome: Result<String, any Error>
        do {
            outcome = .success(try await measure(executable: executable, broker: broker, receiveBuffer: buffer, group: group, logger: logger))
        } catch {
            outcome = .failure(error)
        }
        await broker.shutdown()
        try await group.shutdownGracefully()
        print(try outcome.get())
    }

    private func measure(
        executable: String, broker: MosquittoFixture, receiveBuffer: String?, group: MultiThreadedEventLoopGroup, logger: Logger
    ) async throws -> String {
        var tag = UInt32(truncatingIfNeeded: getpid()) % 1000 * 1000
        let outage = try await DrainOutageRun(
            executable: executable, broker: broker, total: messages, clients: clients, window: window, caseTag: tag,
            receiveBuffer: receiveBuffer, eventLoopGroup: group, logger: logger
        ).run()
        var baseline: (outcome: DrainCounter.Outcome, nanoseconds: UInt64?)?
        if !noBaseline {
            tag += 1
            let relay = try DrainLinkRelay(targetPort: broker.port)
            defer { relay.stop() }
            let counter = try await DrainCounter.start(
                broker: broker, filter: "bench/c\(tag)/#", caseTag: tag, clients: clients, expected: outage.publisher.sent,
                eventLoopGroup: group, logger: logger)
            let start = try await DrainBaseline(broker: broker, eventLoopGroup: group, logger: logger)
                .publish(total: outage.publisher.sent, clients: clients, caseTag: tag, through: relay)
            let outcome = await counter.finish(expected: outage.publisher.sent)
            let last = outcome.tally.lastArrival
            baseline = (outcome, last > start ? last - start : nil)
        }
        var flash: DrainFlashRun.Figures?
        if !noFlash {
            tag += 1
            flash = try await DrainFlashRun(
                executable: executable, broker: broker, clients: clients, rate: flashRate, seconds: flashSeconds,
                caseTag: tag, receiveBuffer: receiveBuffer
            ).run()
        }
        return DrainReport(messages: messages, clients: clients, window: window, outage: outage, baseline: baseline, flash: flash)
            .render()
    }
}
