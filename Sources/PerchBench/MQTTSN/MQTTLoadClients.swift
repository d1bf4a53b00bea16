import Foundation
import MQTTCodec
import NIOCore

/// N MQTT 5 publishers over TCP straight into the broker, for the ceiling: the
/// same publish loop, rates and counter as the MQTT-SN clients, without perchd.
/// Blocking sockets for writing (the broker's back-pressure stops the loop, as
/// it would stop a real publisher), non-blocking reads of PUBACKs.
// Created on one dedicated thread and handed, between the handshake and the run,
// to another through a continuation, which orders the two threads' accesses:
// never used by two threads at once.
final class MQTTLoadClients: LoadTransport, @unchecked Sendable {
    static let version = MQTTProtocolVersion.v5

    let clientCount: Int
    private(set) var sendFailures = 0
    private(set) var refusals = 0
    private var sockets: [Int32] = []
    private let topics: [String]
    private var inbound: [ByteBuffer]
    private var payloadBuffer = ByteBuffer()
    private var outbound = ByteBuffer()

    /// Connects `settings.clients` publishers to the broker on `port` and waits for every CONNACK.
    init(settings: LoadSettings, port: Int, timeout: Duration) throws {
        clientCount = settings.clients
        topics = (0..<settings.clients).map { settings.topic(forClient: $0) }
        inbound = Array(repeating: ByteBuffer(), count: settings.clients)
        do {
            for index in 0..<settings.clients {
                let fd = try PosixSocket.connectedTCP(port: port)
                sockets.append(fd)
                try PosixSocket.setReceiveTimeout(fd, milliseconds: Int(timeout.seconds * 1000))
                let connect = MQTTPacket.connect(
                    ConnectPacket(version: Self.version, clientID: "bp\(settings.caseTag)-\(index)", keepAliveSeconds: 600))
                guard write(connect, toClient: index) else {
                    throw BenchError.handshakeFailed("CONNECT of publisher \(index) not sent")
                }
            }
            for index in 0..<settings.clients {
                guard case .connack(let ack)? = try readPacket(fromClient: index), ack.reasonCode == .success else {
                    throw BenchError.handshakeFailed("publisher \(index): no successful CONNACK")
                }
            }
        } catch {
            for fd in sockets { Foundation.close(fd) }
            sockets = []
            throw error
        }
    }

    deinit { close() }

    func socket(ofClient index: Int) -> Int32 { sockets[index] }

    func publish(client: Int, payload: BenchPayload, messageID: UInt16, isQoS1: Bool, isDuplicate: Bool) -> Bool {
        payloadBuffer.clear()
        payload.write(into: &payloadBuffer)
        let packet = MQTTPacket.publish(
            PublishPacket(
                topic: topics[client], payload: payloadBuffer, qos: isQoS1 ? .atLeastOnce : .atMostOnce,
                dup: isDuplicate, packetID: isQoS1 ? messageID : nil))
        return write(packet, toClient: client)
    }

    func readAcknowledgements(client index: Int, _ acknowledged: (UInt16) -> Void) {
        while true {
            inbound[index].reserveCapacity(minimumWritableBytes: 4096)
            let count = inbound[index].withUnsafeMutableWritableBytes { bytes in
                recv(sockets[index], bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT))
            }
            guard count > 0 else { break }
            inbound[index].moveWriterIndex(forwardBy: count)
        }
        while let packet = try? MQTTPacket.decode(from: &inbound[index], version: Self.version) {
            guard case .puback(let ack) = packet else { continue }
            if ack.reasonCode != .success { refusals += 1 }
            acknowledged(ack.packetID)
        }
        inbound[index].discardReadBytes()
    }

    private var isClosed = false

    func close() {
        guard !isClosed else { return }
        isClosed = true
        for index in sockets.indices {
            _ = write(.disconnect(DisconnectPacket()), toClient: index)
            Foundation.close(sockets[index])
        }
    }

    private func write(_ packet: MQTTPacket, toClient index: Int) -> Bool {
        outbound.clear()
        do {
            try packet.encode(version: Self.version, into: &outbound)
        } catch {
            sendFailures += 1
            return false
        }
        let isSent = outbound.withUnsafeReadableBytes { PosixSocket.sendAll(sockets[index], $0) }
        if !isSent { sendFailures += 1 }
        return isSent
    }

    /// Blocks (up to the receive timeout) for one whole packet from client `index`.
    private func readPacket(fromClient index: Int) throws -> MQTTPacket? {
        while true {
            if let packet = try MQTTPacket.decode(from: &inbound[index], version: Self.version) { return packet }
            inbound[index].reserveCapacity(minimumWritableBytes: 4096)
            let count = inbound[index].withUnsafeMutableWritableBytes { bytes in
                recv(sockets[index], bytes.baseAddress, bytes.count, 0)
            }
            guard count > 0 else { return nil }
            inbound[index].moveWriterIndex(forwardBy: count)
        }
    }
}
