import MQTTCodec
import NIOCore
import PerchCore
import Uplink

/// Publishes through `Uplink.enqueue` for a fixed time, keeping the in-flight
/// window full, and counts the messages the broker has taken.
///
/// Messages are enqueued in batches; at most `batchesAhead` batches are
/// outstanding, so the uplink's queue always holds more than a window's worth
/// (the window never runs dry) while memory stays bounded. The clock stops when
/// every message is done: for QoS 1 and 2 that is the broker's PUBACK or PUBCOMP.
/// A QoS 0 future completes once written to the socket, so a final QoS 1
/// message closes every QoS 0 run: Mosquitto handles one connection's packets in
/// order, so its PUBACK means every QoS 0 message before it was read too.
struct ThroughputRun {
    static let batchSize = 64
    static let batchesAhead = 4

    let uplink: Uplink
    let qos: MQTTQoS
    let eventLoop: any EventLoop

    /// The messages handled and the time taken, from the first enqueue to the last acknowledgement.
    func run(for duration: Duration) async throws -> (messages: Int, elapsed: Duration) {
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: UplinkCase.payloadSize)
        let message = Message(topic: "bench/perch/qos\(qos.rawValue)", payload: payload, qos: qos)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        var outstanding: [EventLoopFuture<Void>] = []
        var messages = 0
        repeat {
            var batch: [EventLoopFuture<Void>] = []
            batch.reserveCapacity(Self.batchSize)
            for _ in 0..<Self.batchSize { batch.append(uplink.enqueue(message)) }
            messages += Self.batchSize
            outstanding.append(EventLoopFuture.andAllSucceed(batch, on: eventLoop))
            if outstanding.count > Self.batchesAhead {
                try await outstanding.removeFirst().get()
            }
        } while clock.now < deadline
        for batch in outstanding { try await batch.get() }
        if qos == .atMostOnce {
            try await uplink.publish(Message(topic: "bench/perch/barrier", payload: payload, qos: .atLeastOnce))
        }
        return (messages, start.duration(to: clock.now))
    }
}
