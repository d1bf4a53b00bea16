import Foundation
import MQTTSNCodec
import NIOCore

/// N simulated MQTT-SN v1.2 clients, one connected UDP socket each, talking to
/// perchd: CONNECT and REGISTER once (`handshake`), then PUBLISH with a normal
/// topic id.
///
/// Every packet is encoded and decoded with `MQTTSNCodec`, into buffers reused
/// from one message to the next.
// Created on one dedicated thread and handed, between the handshake and the run,
// to another through a continuation, which orders the two threads' accesses:
// never used by two threads at once.
final class MQTTSNLoadClients: LoadTransport, @unchecked Sendable {
    let clientCount: Int
    private(set) var sendFailures = 0
    private(set) var refusals = 0
    private let sockets: [Int32]
    private var topicIDs: [UInt16]
    private var payloadBuffer = ByteBuffer()
    private var datagram = ByteBuffer()
    private var received = ByteBuffer()

    /// Opens `clients` sockets towards perchd's MQTT-SN port.
    init(clients: Int, port: Int) throws {
        var sockets: [Int32] = []
        do {
            for _ in 0..<clients { sockets.append(try PosixSocket.connectedUDP(port: port)) }
        } catch {
            for fd in sockets { Foundation.close(fd) }
            throw error
        }
        self.sockets = sockets
        clientCount = clients
        topicIDs = Array(repeating: 0, count: clients)
        payloadBuffer.reserveCapacity(BenchPayload.size)
        datagram.reserveCapacity(256)
        received.reserveCapacity(1500)
    }

    deinit { close() }

    /// CONNECT (clean session, keep-alive `keepAliveSeconds`) then REGISTER of the
    /// case's topic, for every client, at most `MQTTSNExchange.outstanding` at a time.
    func handshake(settings: LoadSettings, keepAliveSeconds: UInt16 = 600, timeout: Duration) throws {
        let clientIDs = (0..<clientCount).map { "b\(settings.caseTag)-\($0)" }
        var exchange = MQTTSNExchange(clients: self, timeout: timeout)
        try exchange.run(step: "CONNECT", request: { index in
            .connect(MQTTSNConnect(cleanSession: true, durationSeconds: keepAliveSeconds, clientID: clientIDs[index]))
        }, response: { _, packet in
            guard case .connAck(let code) = packet else { return nil }
            return code == .accepted ? .done : .refused("CONNACK \(code)")
        })
        try exchange.run(step: "REGISTER", request: { index in
            .register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: settings.topic(forClient: index)))
        }, response: { [self] index, packet in
            guard case .regAck(let ack) = packet, ack.messageID == 1 else { return nil }
            guard ack.returnCode == .accepted else { return .refused("REGACK \(ack.returnCode)") }
            topicIDs[index] = ack.topicID
            return .done
        })
    }

    func socket(ofClient index: Int) -> Int32 { sockets[index] }

    func publish(client: Int, payload: BenchPayload, messageID: UInt16, isQoS1: Bool, isDuplicate: Bool) -> Bool {
        payloadBuffer.clear()
        payload.write(into: &payloadBuffer)
        let packet = MQTTSNPacket.publish(
            MQTTSNPublish(
                dup: isDuplicate, qos: isQoS1 ? .atLeastOnce : .atMostOnce, topic: .normal(topicIDs[client]),
                messageID: isQoS1 ? messageID : 0, payload: payloadBuffer))
        return send(packet, toClient: client)
    }

    /// Encodes and sends `packet` from client `index`; false if it did not go.
    func send(_ packet: MQTTSNPacket, toClient index: Int) -> Bool {
        datagram.clear()
        do {
            try packet.encode(into: &datagram)
        } catch {
            sendFailures += 1
            return false
        }
        let written = datagram.withUnsafeReadableBytes { bytes in
            Foundation.send(sockets[index], bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        }
        if written < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS { sendFailures += 1 }
            return false
        }
        return true
    }

    func readAcknowledgements(client index: Int, _ acknowledged: (UInt16) -> Void) {
        receive(fromClient: index) { packet in
            guard case .pubAck(let ack) = packet else { return }
            if ack.returnCode != .accepted { refusals += 1 }
            acknowledged(ack.messageID)
        }
    }

    /// Reads every datagram waiting on client `index`'s socket and decodes it; undecodable ones are skipped.
    func receive(fromClient index: Int, _ handle: (MQTTSNPacket) -> Void) {
        while true {
            received.clear()
            let count = received.withUnsafeMutableWritableBytes { bytes in
                recv(sockets[index], bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT))
            }
            guard count > 0 else { return }
            received.moveWriterIndex(forwardBy: count)
            if let packet = try? MQTTSNPacket.decode(received) { handle(packet) }
        }
    }

    private var isClosed = false

    func close() {
        guard !isClosed else { return }
        isClosed = true
        for index in sockets.indices {
            _ = send(.disconnect(durationSeconds: nil), toClient: index)
            Foundation.close(sockets[index])
        }
    }
}
