import Logging
import NIOCore
import PerchTestKit

/// The outage and its drain, end to end: perchd (release) with its uplink cut
/// (`DrainLinkRelay` not yet listening), `total` MQTT-SN QoS 1 messages from
/// `clients` clients acknowledged by the spool's commits, then the link up and
/// every message counted at a subscriber that was there first.
struct DrainOutageRun {
    /// What the run measured.
    struct Figures {
        var publisher: DrainPublisher.Report
        /// perch.db + perch.db-wal once every PUBACK was in.
        var fileBytesOffline: Int
        /// write_bytes of perchd during the offline appends.
        var writtenOffline: Int
        /// From the relay accepting perchd's connection to the last distinct message at the subscriber.
        var drainNanoseconds: UInt64?
        /// From opening the link to perchd's connection (its reconnect back-off).
        var reconnectNanoseconds: UInt64?
        var tally: DeliveryTally
        var order: DrainOrderCheck
        /// perchd's CPU (utime+stime) during the appends and during the drain, in % of one core.
        var cpuPercentOffline: Double
        var cpuPercentDrain: Double
        /// perch.db + perch.db-wal after the drain.
        var fileBytesAfter: Int
        var udpDrops: Int?
    }

    let executable: String
    let broker: MosquittoFixture
    let total: Int
    let clients: Int
    let window: Int
    let caseTag: UInt32
    let receiveBuffer: String?
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    func run() async throws -> Figures {
        let relay = try DrainLinkRelay(targetPort: broker.port)
        defer { relay.stop() }
        let perchd = try DrainPerchd.start(
            executable: executable, broker: broker, uplinkPort: relay.port, gatewayID: "bench-drain-\(caseTag)",
            receiveBuffer: receiveBuffer)
        do {
            let figures = try await measure(perchd: perchd, relay: relay)
            await perchd.stop()
            return figures
        } catch {
            let tail = perchd.process.outputTail(5)
            await perchd.stop()
            throw BenchError.handshakeFailed("\(error)" + (tail.isEmpty ? "" : " (perchd: \(tail))"))
        }
    }

    private func measure(perchd: DrainPerchd, relay: DrainLinkRelay) async throws -> Figures {
        let settings = LoadSettings(
            path: .perchd(tls: true), clients: clients, rate: nil, isQoS1: true, window: window,
            durationNanoseconds: 0, caseTag: caseTag)
        let port = perchd.port
        let loadClients = try await DedicatedThread.run(name: "bench-connect") {
            let loadClients = try MQTTSNLoadClients(clients: settings.clients, port: port)
            try loadClients.handshake(settings: settings, timeout: .seconds(30))
            return loadClients
        }
        defer { loadClients.close() }
        let dropsBefore = UDPDrops.read(port: port)
        let writtenBefore = try perchd.writeBytes()
        let cpuBefore = try perchd.sample()
        let publisher = DrainPublisher(
            total: total, window: window, caseTag: caseTag, timeoutNanoseconds: 300_000_000_000)
        let log = DrainResendLog(wrapping: loadClients)
        let report = try await DedicatedThread.run(name: "bench-generator") { publisher.run(log) }
        let cpuOffline = try perchd.sample()
        let writtenOffline = try perchd.writeBytes() - writtenBefore
        let fileBytesOffline = perchd.spoolFileBytes
        let drops = UDPDrops.read(port: port).map { $0 - (dropsBefore ?? 0) }

        let counter = try await DrainCounter.start(
            broker: broker, filter: settings.topicFilter, caseTag: caseTag, clients: clients, expected: report.sent,
            resent: log.resent, eventLoopGroup: eventLoopGroup, logger: logger)
        let cpuOpened = try perchd.sample()
        let opened = MonotonicTime.now()
        try relay.open()
        let outcome = await counter.finish(expected: report.sent)
        let cpuDrained = try perchd.sample()
        let accepted = relay.acceptances.first
        let tally = outcome.tally
        let drainSeconds = Double(MonotonicTime.now() &- opened) / 1e9
        return Figures(
            publisher: report, fileBytesOffline: fileBytesOffline, writtenOffline: writtenOffline,
            drainNanoseconds: accepted.flatMap { tally.lastArrival > $0 ? tally.lastArrival - $0 : nil },
            reconnectNanoseconds: accepted.map { $0 &- opened },
            tally: tally, order: outcome.order,
            cpuPercentOffline: cpuBefore.cpuPercent(until: cpuOffline, seconds: Double(report.nanoseconds) / 1e9),
            cpuPercentDrain: cpuOpened.cpuPercent(until: cpuDrained, seconds: drainSeconds),
            fileBytesAfter: perchd.spoolFileBytes, udpDrops: drops)
    }
}
