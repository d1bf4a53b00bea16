/// Before a case is measured, every sensor sends one CON PUT to a topic the
/// counter does not watch and waits for its 2.04: perchd is serving CoAP, its
/// uplink takes the message, and libcoap has a session for every sensor, so
/// the measured seconds do not include session set-up.
struct CoAPWarmUp {
    /// Requests in flight at once: quick, without overflowing perchd's socket.
    static let outstanding = 64

    let settings: CoAPCase
    let timeout: Duration

    func run(_ clients: CoAPLoadClients) throws {
        clients.target(topic: settings.warmUpTopic(forClient:), query: settings.uriQuery)
        defer { clients.target(topic: settings.topic(forClient:), query: settings.uriQuery) }
        var poll = ReadinessPoll()
        for index in 0..<clients.clientCount { poll.add(clients.socket(ofClient: index)) }
        var window = ConfirmableWindow(clients: clients.clientCount, window: 1)
        // A token and a message id the case never uses (its tokens count from 0,
        // its message ids from 1 and stop at 65,535).
        let token = UInt32.max
        let messageID: UInt16 = 0
        let deadline = MonotonicTime.now() &+ UInt64(max(timeout.seconds, 0) * 1e9)
        var next = 0
        var done = 0
        var refusal: String?
        while done < clients.clientCount {
            let now = MonotonicTime.now()
            guard now < deadline else {
                throw BenchError.handshakeFailed("CoAP warm-up: \(done) of \(clients.clientCount) sensors got their 2.04 in time")
            }
            while window.totalInFlight < Self.outstanding, next < clients.clientCount {
                let payload = BenchPayload(caseTag: settings.caseTag, client: UInt32(next), sequence: 0, sentNanoseconds: now)
                // A full socket buffer: this sensor tries again on the next pass.
                guard clients.put(client: next, isConfirmable: true, messageID: messageID, token: token, payload: payload)
                else { break }
                window.occupy(client: next, request: .init(token: token, messageID: messageID, payload: payload), now: now)
                next += 1
            }
            _ = window.retransmit(now: now) { client, slot in
                clients.put(client: client, isConfirmable: true, messageID: slot.messageID, token: slot.token, payload: slot.payload)
            }
            poll.wait(timeoutMilliseconds: 10) { client in
                clients.receive(fromClient: client) { header in
                    if header.type == .confirmable { clients.acknowledge(client: client, messageID: header.messageID) }
                    if header.type == .acknowledgement && header.isEmpty {
                        window.acknowledged(client: client, messageID: header.messageID)
                    } else if let token = header.token, window.complete(client: client, token: token) != nil {
                        if header.code == CoAPMessageEncoder.Code.changed {
                            done += 1
                        } else {
                            refusal = CoAPResponseHeader.text(ofCode: header.code)
                        }
                    }
                }
            }
            if let refusal { throw BenchError.handshakeFailed("CoAP warm-up PUT answered \(refusal)") }
        }
    }
}
