import PerchTestKit

/// The flash rule with the spool in the path: steady online traffic
/// the broker acknowledges in time writes nothing to disk. perchd's uplink goes
/// straight to the broker (TLS); `clients` MQTT-SN clients publish QoS 1 at
/// `rate` msgs/s in all for `seconds`; perchd's write_bytes (/proc/PID/io: bytes
/// it caused to be sent to the storage layer, counted when a page is dirtied,
/// so page-cache writes that a later flush takes to the disk are included)
/// before and after.
struct DrainFlashRun {
    /// What the run measured.
    struct Figures {
        var report: LoadReport
        var writtenBytes: Int
        var fileBytesBefore: Int
        var fileBytesAfter: Int
    }

    let executable: String
    let broker: MosquittoFixture
    let clients: Int
    let rate: Int
    let seconds: Double
    let caseTag: UInt32
    let receiveBuffer: String?

    func run() async throws -> Figures {
        let gatewayID = "bench-flash-\(caseTag)"
        let perchd = try DrainPerchd.start(
            executable: executable, broker: broker, uplinkPort: broker.port, gatewayID: gatewayID,
            receiveBuffer: receiveBuffer)
        do {
            // The first status document is published once the uplink is up: nothing is spooled for an outage after this.
            _ = try await broker.subscribe(topic: "perch/\(gatewayID)/status", count: 1, timeout: .seconds(20))
            let settings = LoadSettings(
                path: .perchd(tls: true), clients: clients, rate: rate, isQoS1: true, window: 10,
                durationNanoseconds: UInt64(seconds * 1e9), caseTag: caseTag)
            let port = perchd.port
            let loadClients = try await DedicatedThread.run(name: "bench-connect") {
                let loadClients = try MQTTSNLoadClients(clients: settings.clients, port: port)
                try loadClients.handshake(settings: settings, timeout: .seconds(30))
                return loadClients
            }
            defer { loadClients.close() }
            let fileBytesBefore = perchd.spoolFileBytes
            let before = try perchd.writeBytes()
            let report = try await DedicatedThread.run(name: "bench-generator") { try PublishLoop(settings: settings).run(loadClients) }
            let written = try perchd.writeBytes() - before
            let figures = Figures(
                report: report, writtenBytes: written, fileBytesBefore: fileBytesBefore, fileBytesAfter: perchd.spoolFileBytes)
            await perchd.stop()
            return figures
        } catch {
            let tail = perchd.process.outputTail(5)
            await perchd.stop()
            throw BenchError.handshakeFailed("\(error)" + (tail.isEmpty ? "" : " (perchd: \(tail))"))
        }
    }
}
