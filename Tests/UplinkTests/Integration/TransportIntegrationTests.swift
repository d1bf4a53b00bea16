import MQTTCodec
import NIOCore
import PerchCore
import PerchTestKit
import Testing
import Uplink

/// `Uplink` as the spool's transport against a real Mosquitto over TLS.
@Suite(.serialized) struct TransportIntegrationTests {
    private static func message(_ ticket: UInt64, prefix: String) -> Message {
        Message(topic: "\(prefix)/\(ticket % 10)", text: "\(ticket)", qos: .atLeastOnce)
    }

    @Test func thousandQoS1TicketsAreAllDeliveredOnce() async throws {
        try await withBroker(tls: .serverAuth) { broker in
            let subscription = try await broker.startSubscription(topic: "perch/transport/#", qos: 1)
            let configuration = uplinkConfiguration(for: broker, clientID: "perch-transport")
            try await withRunningUplink(configuration) { running in
                try await waitForStatus(running.uplink, "connected") { $0.isConnected }
                let pump = TicketPump.start(on: running.uplink, total: 1000, window: 32) {
                    Self.message($0, prefix: "perch/transport")
                }
                let report = try await withTimeout(.seconds(60), "1000 reports") { try await pump.report.get() }
                #expect(report.duplicates.isEmpty)
                #expect(report.delivered.count == 1000)
                #expect(report.delivered == Array(1...1000), "delivered in transmit order")
                let received = try await subscription.waitForMessages(count: 1000, timeout: .seconds(30))
                #expect(Set(received.map { String(decoding: $0.payload, as: UTF8.self) }).count == 1000)
            }
            await subscription.cancel()
        }
    }

    /// The broker stops mid-stream and comes back on the same port: every
    /// ticket is delivered, none reported twice. With a session (persistence
    /// on) the in-flight ones go again with DUP; with Clean Start as new ones.
    @Test(arguments: [false, true])
    func brokerRestartMidStreamLosesAndDuplicatesNoReport(cleanStart: Bool) async throws {
        try await withBroker(tls: .serverAuth) { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-transport-restart")
            configuration.cleanStart = cleanStart
            try await withRunningUplink(configuration) { running in
                try await waitForStatus(running.uplink, "connected") { $0.isConnected }
                // The pump pauses after 300 deliveries so that the outage falls
                // mid-stream: the rest is transmitted while the link is down.
                let pump = TicketPump.start(on: running.uplink, total: 1000, window: 20, milestone: 300, pause: true) {
                    Self.message($0, prefix: "perch/restart")
                }
                try await withTimeout(.seconds(30), "300 deliveries") { try await pump.milestone.get() }
                try await broker.stop()
                try await waitForStatus(running.uplink, "link down") { !$0.isConnected }
                pump.resume()
                let report = try await withTimeout(.seconds(60), "1000 reports") {
                    try await broker.restart()
                    return try await pump.report.get()
                }
                let reconnectedAt = report.reports.firstIndex { $0.ticket > 320 } ?? 0
                #expect(reconnectedAt >= 300, "tickets after the pause were reported only after the restart")
                #expect(report.duplicates.isEmpty)
                #expect(Set(report.delivered) == Set(1...1000))
                #expect(report.reports.count == 1000)
                #expect(running.uplink.status.reconnects >= 1)
            }
        }
    }

    /// Shutdown with tickets queued: each is reported once, `.interrupted`
    /// unless the broker had it already; a ticket after shutdown is interrupted.
    @Test func shutdownReportsEveryTicketOnce() async throws {
        try await withBroker(tls: .serverAuth) { broker in
            let configuration = uplinkConfiguration(for: broker, clientID: "perch-transport-stop")
            let running = RunningUplink(configuration)
            try await waitForStatus(running.uplink, "connected") { $0.isConnected }
            try await broker.stop()
            try await waitForStatus(running.uplink, "link down") { !$0.isConnected }
            let pump = TicketPump.start(on: running.uplink, total: 50, window: 50) {
                Self.message($0, prefix: "perch/stop")
            }
            try await running.stopService()
            let report = try await withTimeout(.seconds(10), "50 reports") { try await pump.report.get() }
            #expect(report.duplicates.isEmpty)
            #expect(report.reports.map { $0.ticket } == Array(1...50))
            #expect(report.reports.allSatisfy { $0.outcome == .interrupted })
            let uplink = running.uplink
            let late = try await uplink.eventLoop.submit {
                var outcome: UpstreamTransmissionOutcome?
                uplink.setTransmissionHandler { _, reported in outcome = reported }
                uplink.transmit(Message(topic: "perch/stop/late", text: "late"), ticket: UpstreamTicket(rawValue: 51))
                return outcome
            }.get()
            #expect(late == .interrupted)
            try await running.stop()
        }
    }
}
