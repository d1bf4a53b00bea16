import Logging
import NIOCore
import PerchCore
import PerchTestKit
import Uplink

/// The ceiling a drain is judged against: the same number of QoS 1 messages,
/// on the same topics, published straight to the broker by Perch's `Uplink`
/// (the client perchd's uplink is built on, without the spool) through a link
/// relay like perchd's, with the same in-flight window: the broker's Receive
/// Maximum (MQTT 5.0 §3.2.2.3.3), Mosquitto's `max_inflight_messages`, 20 by default.
struct DrainBaseline {
    /// Messages enqueued per batch, and batches outstanding at once: enough to keep the window full.
    static let batchSize = 64
    static let batchesAhead = 8

    let broker: MosquittoFixture
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    /// Connects through `relay`, publishes `total` messages round robin over `clients` topics, and
    /// returns the `MonotonicTime` of the first enqueue (the clock of the drain starts there).
    func publish(total: Int, clients: Int, caseTag: UInt32, through relay: DrainLinkRelay) async throws -> UInt64 {
        let configuration = Uplink.Configuration(
            host: broker.host, port: relay.port, useTLS: true,
            clientID: "perch-bench-baseline-\(caseTag)", cleanStart: true,
            tls: .init(caFile: broker.certificates.caFile))
        let uplink = Uplink(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        let runner = Task { try await uplink.run() }
        defer { runner.cancel() }
        try relay.open()
        guard await Self.connected(uplink, within: .seconds(20)) else {
            throw BenchError.notConnected(detail: uplink.status.lastError ?? "baseline: no CONNACK through the relay")
        }
        let eventLoop = eventLoopGroup.next()
        let topics = (0..<clients).map { "bench/c\(caseTag)/\($0)" }
        var sequences = Array(repeating: UInt32(0), count: clients)
        var payload = ByteBuffer()
        let start = MonotonicTime.now()
        var outstanding: [EventLoopFuture<Void>] = []
        var sent = 0
        while sent < total {
            var batch: [EventLoopFuture<Void>] = []
            batch.reserveCapacity(Self.batchSize)
            while batch.count < Self.batchSize, sent < total {
                let client = sent % clients
                payload.clear()
                BenchPayload(caseTag: caseTag, client: UInt32(client), sequence: sequences[client], sentNanoseconds: MonotonicTime.now())
                    .write(into: &payload)
                batch.append(uplink.enqueue(Message(topic: topics[client], payload: payload, qos: .atLeastOnce)))
                sequences[client] += 1
                sent += 1
            }
            outstanding.append(EventLoopFuture.andAllSucceed(batch, on: eventLoop))
            if outstanding.count > Self.batchesAhead { try await outstanding.removeFirst().get() }
        }
        for batch in outstanding { try await batch.get() }
        runner.cancel()
        _ = try? await runner.value
        return start
    }

    /// True once the uplink reports a connection, false after `timeout`.
    private static func connected(_ uplink: Uplink, within timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await status in uplink.statusChanges() where status.isConnected { return true }
                return false
            }
            group.addTask {
                // A bound on the wait; the status stream ends it normally.
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
