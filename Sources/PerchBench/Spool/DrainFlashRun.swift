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
        /// write_bytes in each second of the run (the last entry may cover less than a second).
        var writtenPerSecond: [Int]
        /// write_bytes between the clients' handshake and the first PUBLISH.
        var writtenBeforePublishing: Int
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
            // The clients' records (CONNECT, REGISTER) are committed 100 ms after the handshake
            // (MQTTSNServer's RecordWriter): let that write land before the window opens, and count it apart.
            let handshaken = try perchd.writeBytes()
            let before = try await Self.settledWriteBytes(of: perchd)
            let fileBytesBefore = perchd.spoolFileBytes
            let isDone = SharedFlag()
            let publishing = Task {
                defer { isDone.raise() }
                return try await DedicatedThread.run(name: "bench-generator") { try PublishLoop(settings: settings).run(loadClients) }
            }
            // One sample a second, to tell when any write happened; the sleeps are the sampling period.
            var samples = [before]
            while !isDone.isRaised {
                try? await Task.sleep(for: .seconds(1))
                samples.append(try perchd.writeBytes())
            }
            let report = try await publishing.value
            samples.append(try perchd.writeBytes())
            let perSecond = zip(samples.dropFirst(), samples).map { $0 - $1 }
            let figures = Figures(
                report: report, writtenBytes: samples[samples.count - 1] - before, writtenPerSecond: perSecond,
                writtenBeforePublishing: before - handshaken,
                fileBytesBefore: fileBytesBefore, fileBytesAfter: perchd.spoolFileBytes)
            await perchd.stop()
            return figures
        } catch {
            let tail = perchd.process.outputTail(5)
            await perchd.stop()
            throw BenchError.handshakeFailed("\(error)" + (tail.isEmpty ? "" : " (perchd: \(tail))"))
        }
    }

    /// write_bytes once it has not changed for 0.6 s (at most 5 s); the sleeps are the sampling period.
    private static func settledWriteBytes(of perchd: DrainPerchd) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        var last = try perchd.writeBytes()
        var stableSince = clock.now
        while clock.now < deadline, stableSince.duration(to: clock.now) < .milliseconds(600) {
            try? await Task.sleep(for: .milliseconds(200))
            let now = try perchd.writeBytes()
            if now != last {
                last = now
                stableSince = clock.now
            }
        }
        return last
    }
}
