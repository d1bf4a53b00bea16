import Foundation
import NIOCore

/// N simulated CoAP sensors, one connected UDP socket each (so perchd sees N
/// endpoints, N libcoap sessions), sending PUT `/ps/{topic}` encoded by
/// `CoAPMessageEncoder` into buffers reused from one message to the next.
// Created on one dedicated thread and handed, between the warm-up and the run,
// to another through a continuation, which orders the two threads' accesses:
// never used by two threads at once.
final class CoAPLoadClients: @unchecked Sendable {
    let clientCount: Int
    /// Sends that failed for another reason than a full socket buffer.
    private(set) var sendFailures = 0
    private let sockets: [Int32]
    /// Each sensor's pre-encoded Uri-Path and Uri-Query options.
    private var options: [[UInt8]]
    private var payloadBuffer = ByteBuffer()
    private var datagram = ByteBuffer()
    private var received: [UInt8] = Array(repeating: 0, count: 1500)
    private var isClosed = false

    /// Opens `clients` sockets towards perchd's CoAP port.
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
        options = Array(repeating: [], count: clients)
        payloadBuffer.reserveCapacity(BenchPayload.size)
        datagram.reserveCapacity(256)
    }

    deinit { close() }

    /// Sets every sensor's target to `/ps/` + `topic(index)` with `query`.
    func target(topic: (Int) -> String, query: [String]) {
        for index in 0..<clientCount {
            let path = ["ps"] + topic(index).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            options[index] = CoAPMessageEncoder.options(uriPath: path, uriQuery: query)
        }
    }

    func socket(ofClient index: Int) -> Int32 { sockets[index] }

    /// Sends one PUT from sensor `client`; false when it could not go now (socket buffer full, error).
    func put(
        client: Int, isConfirmable: Bool, messageID: UInt16, token: UInt32, payload: BenchPayload
    ) -> Bool {
        payloadBuffer.clear()
        payload.write(into: &payloadBuffer)
        datagram.clear()
        CoAPMessageEncoder.write(
            type: isConfirmable ? .confirmable : .nonConfirmable, code: CoAPMessageEncoder.Code.put,
            messageID: messageID, token: token, options: options[client], payload: payloadBuffer, into: &datagram)
        return send(client: client)
    }

    /// Acknowledges a confirmable message from perchd (a separate response):
    /// an empty ACK echoing its message id (RFC 7252 §4.2, §5.2.2).
    func acknowledge(client: Int, messageID: UInt16) {
        datagram.clear()
        CoAPMessageEncoder.write(
            type: .acknowledgement, code: CoAPMessageEncoder.Code.empty, messageID: messageID, token: nil, options: [],
            payload: nil, into: &datagram)
        _ = send(client: client)
    }

    /// Reads every datagram waiting on sensor `index`'s socket; undecodable ones are skipped.
    func receive(fromClient index: Int, _ handle: (CoAPResponseHeader) -> Void) {
        while true {
            let header = received.withUnsafeMutableBytes { bytes -> CoAPResponseHeader?? in
                let count = recv(sockets[index], bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT))
                guard count > 0 else { return .none }
                return .some(CoAPResponseHeader(UnsafeRawBufferPointer(rebasing: bytes[0..<count])))
            }
            guard let header else { return }
            if let header { handle(header) }
        }
    }

    /// Closes the sockets (CoAP has no goodbye: perchd's sessions time out).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        for fd in sockets { Foundation.close(fd) }
    }

    private func send(client: Int) -> Bool {
        let written = datagram.withUnsafeReadableBytes { bytes in
            Foundation.send(sockets[client], bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        }
        if written < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS { sendFailures += 1 }
            return false
        }
        return true
    }
}
