import ArgumentParser
import Logging
import MQTTCodec
import NIOCore
import NIOPosix
import PerchTestKit

/// `perch-bench uplink`: messages/s through `Uplink` into a real local Mosquitto,
/// and QoS 1 publish latency with a window of 1.
struct UplinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplink",
        abstract: "Uplink throughput (QoS 0/1/2, TCP and TLS, window 32 and 1) and QoS 1 latency against Mosquitto."
    )

    @OptionGroup var timing: TimingOptions

    @Flag(help: "Compare the spool's path (`transmit` with a window of tickets) with `send` and `enqueue` instead.")
    var transport = false

    func run() async throws {
        let duration = try timing.runDuration()
        let runs = try timing.runCount()
        var logger = Logger(label: "perch-bench")
        logger.logLevel = .warning
        // One thread, like perchd's uplink: the figures are those of one event loop.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let outcome: Result<Void, any Error>
        do {
            if transport {
                outcome = .success(try await compareTransport(duration: duration, runs: runs, group: group, logger: logger))
            } else {
                outcome = .success(try await measure(duration: duration, runs: runs, group: group, logger: logger))
            }
        } catch {
            outcome = .failure(error)
        }
        try await group.shutdownGracefully()
        try outcome.get()
    }

    private func measure(duration: Duration, runs: Int, group: any EventLoopGroup, logger: Logger) async throws {
        print("Uplink: \(UplinkCase.payloadSize)-byte payloads to Mosquitto on 127.0.0.1, MQTT 5, median of \(runs) runs of \(duration.seconds) s each.\n")
        var throughput = MarkdownTable([
            ("transport", .left), ("window", .right), ("QoS", .right), ("messages/s", .right), ("spread", .right),
        ])
        var latency = MarkdownTable([
            ("transport", .left), ("samples", .right), ("p50", .right), ("p99", .right), ("max", .right),
        ])
        for useTLS in [false, true] {
            let broker = try await MosquittoFixture.start(tls: useTLS ? .serverAuth : .none)
            do {
                for window in [32, 1] {
                    let connection = try await BenchUplink.connect(
                        to: broker, inFlightWindow: window, eventLoopGroup: group, logger: logger)
                    do {
                        for qos in [MQTTQoS.atMostOnce, .atLeastOnce, .exactlyOnce] {
                            let row = try await measureThroughput(
                                connection, qos: qos, duration: duration, runs: runs, eventLoop: group.next())
                            throughput.append([useTLS ? "TLS" : "TCP", "\(window)", "\(qos.rawValue)"] + row)
                        }
                        if window == 1 {
                            let reconnectsBefore = connection.uplink.status.reconnects
                            let samples = try await LatencyRun(uplink: connection.uplink)
                                .run(for: duration * runs)
                            let reconnected = connection.uplink.status.reconnects != reconnectsBefore
                            latency.append([
                                (useTLS ? "TLS" : "TCP") + (reconnected ? " (reconnected)" : ""),
                                Formatting.number(Double(samples.count)),
                                Statistics.percentile(0.5, of: samples).map(Formatting.microseconds) ?? "—",
                                Statistics.percentile(0.99, of: samples).map(Formatting.microseconds) ?? "—",
                                samples.max().map(Formatting.microseconds) ?? "—",
                            ])
                        }
                    } catch {
                        await connection.stop()
                        throw error
                    }
                    await connection.stop()
                }
            } catch {
                await broker.shutdown()
                throw error
            }
            await broker.shutdown()
        }
        print(throughput.render())
        print("QoS 1 publish latency, window 1, one message at a time (`publish` call to PUBACK):\n")
        print(latency.render())
    }

    private func measureThroughput(
        _ connection: BenchUplink, qos: MQTTQoS, duration: Duration, runs: Int, eventLoop: any EventLoop
    ) async throws -> [String] {
        let run = ThroughputRun(uplink: connection.uplink, qos: qos, eventLoop: eventLoop)
        return try await measureRate(of: connection, duration: duration, runs: runs) { try await run.run(for: $0) }
    }

    /// The median rate of `runs` runs of `run`, and their spread, after an
    /// untimed short run that fills the broker's and the kernel's buffers.
    func measureRate(
        of connection: BenchUplink, duration: Duration, runs: Int,
        _ run: (Duration) async throws -> (messages: Int, elapsed: Duration)
    ) async throws -> [String] {
        _ = try await run(.milliseconds(100))
        let reconnectsBefore = connection.uplink.status.reconnects
        var rates: [Double] = []
        for _ in 0..<runs {
            let result = try await run(duration)
            rates.append(Double(result.messages) / result.elapsed.seconds)
        }
        guard let median = Statistics.median(rates), let low = rates.min(), let high = rates.max() else {
            return ["—", "—"]
        }
        // A reconnect inside a run adds a back-off pause to it: say so rather than hide it.
        let reconnected = connection.uplink.status.reconnects != reconnectsBefore ? " (reconnected)" : ""
        return [
            Formatting.number(median),
            "±" + Formatting.number((high - low) / 2 / median * 100, decimals: 1) + " %" + reconnected,
        ]
    }
}
