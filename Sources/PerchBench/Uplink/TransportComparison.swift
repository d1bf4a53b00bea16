import Logging
import MQTTCodec
import NIOCore
import PerchTestKit

/// `perch-bench uplink --transport`: what the spool's path costs. The same
/// messages go through `transmit` with a window of tickets (the spool's use),
/// through `send(_:)` from the loop (the MQTT-SN server's QoS 0 path) and
/// through `enqueue(_:)` from a task (a promise per message), on one uplink
/// with an in-flight window of 32.
extension UplinkCommand {
    static let uplinkWindow = 32
    static let spoolWindows = [256, 1024]

    func compareTransport(duration: Duration, runs: Int, group: any EventLoopGroup, logger: Logger) async throws {
        print(
            "Uplink as the spool's transport: \(UplinkCase.payloadSize)-byte payloads to Mosquitto on 127.0.0.1, MQTT 5, "
                + "in-flight window \(Self.uplinkWindow), median of \(runs) runs of \(duration.seconds) s each.\n"
        )
        var table = MarkdownTable([
            ("transport", .left), ("path", .left), ("QoS", .right), ("window", .right), ("messages/s", .right), ("spread", .right),
        ])
        for useTLS in [false, true] {
            let broker = try await MosquittoFixture.start(tls: useTLS ? .serverAuth : .none, quiet: true)
            do {
                let connection = try await BenchUplink.connect(
                    to: broker, inFlightWindow: Self.uplinkWindow, eventLoopGroup: group, logger: logger)
                do {
                    let name = useTLS ? "TLS" : "TCP"
                    for qos in [MQTTQoS.atMostOnce, .atLeastOnce] {
                        let enqueue = ThroughputRun(uplink: connection.uplink, qos: qos, eventLoop: connection.uplink.eventLoop)
                        let row = try await measureRate(of: connection, duration: duration, runs: runs) { try await enqueue.run(for: $0) }
                        table.append([name, "enqueue (task)", "\(qos.rawValue)", "\(ThroughputRun.batchSize * ThroughputRun.batchesAhead)"] + row)
                        if qos == .atMostOnce {
                            let send = TransportRun(uplink: connection.uplink, qos: qos, path: .send, window: Self.spoolWindows[0])
                            let row = try await measureRate(of: connection, duration: duration, runs: runs) { try await send.run(for: $0) }
                            table.append([name, "send (loop)", "0", "\(Self.spoolWindows[0])/turn"] + row)
                        }
                        for window in Self.spoolWindows {
                            let transmit = TransportRun(uplink: connection.uplink, qos: qos, path: .transmit, window: window)
                            let row = try await measureRate(of: connection, duration: duration, runs: runs) { try await transmit.run(for: $0) }
                            table.append([name, "transmit (loop)", "\(qos.rawValue)", "\(window)"] + row)
                        }
                    }
                } catch {
                    await connection.stop()
                    throw error
                }
                await connection.stop()
            } catch {
                await broker.shutdown()
                throw error
            }
            await broker.shutdown()
        }
        print(table.render())
    }
}
