import MQTTSNCodec

/// One request/response step of the MQTT-SN handshake for every client, with
/// retransmission: UDP may lose a CONNECT when 1,000 arrive at once, and
/// perchd may not be listening yet in the first milliseconds.
struct MQTTSNExchange {
    /// How a response ends a client's step.
    enum Outcome {
        case done
        case refused(String)
    }

    /// Requests in flight at once: enough to be quick, few enough not to overflow perchd's socket.
    static let outstanding = 64
    static let retryNanoseconds: UInt64 = 500_000_000

    let clients: MQTTSNLoadClients
    let timeoutNanoseconds: UInt64

    init(clients: MQTTSNLoadClients, timeout: Duration) {
        self.clients = clients
        timeoutNanoseconds = UInt64(max(timeout.seconds, 0) * 1e9)
    }

    /// Sends `request(i)` for every client and waits for a response `response`
    /// accepts (nil: not the answer, keep waiting), retrying every 0.5 s until the timeout.
    mutating func run(
        step: String, request: (Int) -> MQTTSNPacket, response: (Int, MQTTSNPacket) -> Outcome?
    ) throws {
        var poll = ReadinessPoll()
        for index in 0..<clients.clientCount { poll.add(clients.socket(ofClient: index)) }
        let deadline = MonotonicTime.now() &+ timeoutNanoseconds
        var pending: [Int: UInt64] = [:]
        var next = 0
        var done = 0
        var refusal: String?
        while done < clients.clientCount {
            let now = MonotonicTime.now()
            guard now < deadline else {
                throw BenchError.handshakeFailed("\(step): \(done) of \(clients.clientCount) clients answered in time")
            }
            while pending.count < Self.outstanding, next < clients.clientCount {
                _ = clients.send(request(next), toClient: next)
                pending[next] = now
                next += 1
            }
            for (index, sentAt) in pending where now &- sentAt > Self.retryNanoseconds {
                _ = clients.send(request(index), toClient: index)
                pending[index] = now
            }
            poll.wait(timeoutMilliseconds: 10) { index in
                clients.receive(fromClient: index) { packet in
                    guard pending[index] != nil, let outcome = response(index, packet) else { return }
                    switch outcome {
                    case .done:
                        pending[index] = nil
                        done += 1
                    case .refused(let reason):
                        refusal = reason
                    }
                }
            }
            if let refusal { throw BenchError.handshakeFailed("\(step) refused: \(refusal)") }
        }
    }
}
