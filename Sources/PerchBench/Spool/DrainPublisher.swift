/// Publishes exactly `total` QoS 1 messages from every client of a
/// `MQTTSNLoadClients` in round robin, as fast as each client's window of
/// unacknowledged PUBLISHes allows, and waits for every PUBACK (bounded).
/// With the broker away, a PUBACK means the spool's commit holding the
/// message is durable (Docs/spool.md, "The sender's acknowledgement"), so the
/// acknowledgement rate is the spool's durable append rate, provided the
/// window is large enough that the commit, not the round trip, sets the pace.
/// Runs on one dedicated thread.
struct DrainPublisher {
    /// A message without PUBACK for this long is sent again with DUP (MQTT-SN
    /// v1.2 §6.13 leaves T_retry to the client); long against a group commit
    /// (100 ms plus one fsync), so only a datagram lost at perchd's socket is resent.
    static let retryNanoseconds: UInt64 = 2_000_000_000

    /// What one offline run did.
    struct Report {
        var sent: Int
        var acknowledged: Int
        var retransmissions: Int
        var refusals: Int
        var sendFailures: Int
        /// First send to last PUBACK.
        var nanoseconds: UInt64
    }

    let total: Int
    let window: Int
    let caseTag: UInt32
    /// Gives up waiting for PUBACKs after this long in all.
    let timeoutNanoseconds: UInt64

    func run(_ clients: some LoadTransport) -> Report {
        let count = clients.clientCount
        var poll = ReadinessPoll()
        for index in 0..<count { poll.add(clients.socket(ofClient: index)) }
        var state = WindowState(clients: count, window: window)
        var acknowledged = 0
        var retransmissions = 0
        var sent = 0
        var cursor = 0
        let start = MonotonicTime.now()
        var lastAcknowledgement = start
        var lastRetryScan = start

        func readAcknowledgements(_ client: Int) {
            clients.readAcknowledgements(client: client) { messageID in
                let before = state.inFlight[client]
                state.release(client: client, messageID: messageID)
                if state.inFlight[client] < before {
                    acknowledged += 1
                    lastAcknowledgement = MonotonicTime.now()
                }
            }
        }

        while sent < total || state.totalInFlight > 0 {
            let now = MonotonicTime.now()
            guard now &- start < timeoutNanoseconds else { break }
            var isBlocked = true
            for _ in 0..<count where sent < total {
                let client = cursor
                cursor = cursor + 1 == count ? 0 : cursor + 1
                guard state.inFlight[client] < window else { continue }
                let payload = BenchPayload(
                    caseTag: caseTag, client: UInt32(client), sequence: state.nextSequence[client], sentNanoseconds: now)
                let messageID = state.nextMessageID(client: client)
                guard clients.publish(client: client, payload: payload, messageID: messageID, isQoS1: true, isDuplicate: false)
                else { break }
                state.occupy(client: client, messageID: messageID, payload: payload)
                state.nextSequence[client] += 1
                sent += 1
                isBlocked = false
            }
            poll.wait(timeoutMilliseconds: isBlocked ? 5 : 0, readAcknowledgements)
            if now &- lastRetryScan > 200_000_000 {
                lastRetryScan = now
                retransmissions += state.retransmit(olderThan: Self.retryNanoseconds, now: now, caseTag: caseTag, via: clients)
            }
        }
        return Report(
            sent: sent, acknowledged: acknowledged, retransmissions: retransmissions, refusals: clients.refusals,
            sendFailures: clients.sendFailures, nanoseconds: max(lastAcknowledgement &- start, 1))
    }
}
