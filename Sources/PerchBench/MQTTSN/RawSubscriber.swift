import Foundation
import MQTTCodec
import NIOCore

/// The counter over plain TCP: one MQTT 3.1.1 subscriber on its own thread,
/// reading the broker's stream in 256 KiB gulps and decoding it with
/// `MQTTCodec`, so that it keeps up with the broker's full rate.
enum RawSubscriber {
    static let version = MQTTProtocolVersion.v3_1_1

    /// Connects, subscribes to `filter` at QoS 0 and returns the socket once the SUBACK is in.
    static func open(port: Int, filter: String, clientID: String) throws -> Int32 {
        let fd = try PosixSocket.connectedTCP(port: port)
        do {
            try PosixSocket.setReceiveTimeout(fd, milliseconds: 5000)
            var buffer = ByteBuffer()
            // Keep alive off (MQTT 3.1.1 §3.1.2.10): the counter only reads, and the broker would
            // drop it 1.5 × the keep-alive into a long run (the soak) for never sending.
            try MQTTPacket.connect(ConnectPacket(version: version, clientID: clientID, keepAliveSeconds: 0))
                .encode(version: version, into: &buffer)
            try MQTTPacket.subscribe(SubscribePacket(packetID: 1, subscriptions: [.init(topicFilter: filter, qos: .atMostOnce)]))
                .encode(version: version, into: &buffer)
            guard buffer.withUnsafeReadableBytes({ PosixSocket.sendAll(fd, $0) }) else {
                throw BenchError.system(operation: "send to the broker", errno: errno)
            }
            var inbound = ByteBuffer()
            var isSubscribed = false
            while !isSubscribed {
                if let packet = try MQTTPacket.decode(from: &inbound, version: version) {
                    if case .suback = packet { isSubscribed = true }
                    continue
                }
                inbound.reserveCapacity(minimumWritableBytes: 4096)
                let count = inbound.withUnsafeMutableWritableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { throw BenchError.handshakeFailed("counter: no SUBACK from the broker") }
                inbound.moveWriterIndex(forwardBy: count)
            }
            // Short from now on: the counting loop checks its stop flag between reads.
            try PosixSocket.setReceiveTimeout(fd, milliseconds: 20)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Counts until `stop` is raised and then either `expected` messages have
    /// arrived, nothing came for `quietNanoseconds`, or `drainNanoseconds` passed; closes the socket.
    static func count(
        fd: Int32, into tally: DeliveryTally, stop: SharedFlag, expected: SharedCounter,
        quietNanoseconds: UInt64 = 500_000_000, drainNanoseconds: UInt64 = 5_000_000_000
    ) -> DeliveryTally {
        defer { close(fd) }
        var tally = tally
        var inbound = ByteBuffer()
        inbound.reserveCapacity(512 * 1024)
        var stopSeen: UInt64 = 0
        while true {
            let now = MonotonicTime.now()
            if stop.isRaised {
                if stopSeen == 0 { stopSeen = now }
                let quietSince = max(tally.lastArrival, stopSeen)
                if tally.unique >= expected.value || now &- quietSince > quietNanoseconds || now &- stopSeen > drainNanoseconds {
                    return tally
                }
            }
            inbound.reserveCapacity(minimumWritableBytes: 256 * 1024)
            let count = inbound.withUnsafeMutableWritableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return tally }
            guard count > 0 else { continue }
            inbound.moveWriterIndex(forwardBy: count)
            let arrived = MonotonicTime.now()
            while let packet = try? MQTTPacket.decode(from: &inbound, version: version) {
                if case .publish(let publish) = packet {
                    tally.record(BenchPayload.read(from: publish.payload), arrivedAt: arrived)
                }
            }
            inbound.discardReadBytes()
        }
    }
}
