/// Publishes for a fixed time from every client of a `LoadTransport`, paced to
/// an aggregate rate or as fast as the sockets take it, keeping at most
/// `window` QoS 1 messages unacknowledged per client. Runs on one dedicated
/// thread: no locks, no allocation per message beyond the codec's.
struct PublishLoop {
    /// A QoS 1 message without PUBACK for this long is sent again with DUP
    /// (MQTT-SN v1.2 §6.13 leaves T_retry to the client; 1 s fits a loopback run).
    static let retryNanoseconds: UInt64 = 1_000_000_000
    /// How long the generator waits for the last PUBACKs after it stops publishing.
    static let drainNanoseconds: UInt64 = 3_000_000_000
    /// Most messages sent between two looks at the clock and the acknowledgements.
    static let burst = 64

    let settings: LoadSettings

    func run(_ transport: some LoadTransport) throws -> LoadReport {
        let clients = transport.clientCount
        let window = settings.isQoS1 ? settings.window : 0
        var poll = ReadinessPoll()
        for index in 0..<clients { poll.add(transport.socket(ofClient: index)) }
        var state = WindowState(clients: clients, window: max(window, 1))

        let start = MonotonicTime.now()
        let end = start &+ settings.durationNanoseconds
        let perNanosecond = settings.rate.map { Double($0) / 1e9 }
        var sent = 0
        var retransmissions = 0
        var lastSend = start
        var cursor = 0
        var lastRetryScan = start
        var lastDrain = start

        func acknowledge(_ client: Int) {
            transport.readAcknowledgements(client: client) { messageID in
                state.release(client: client, messageID: messageID)
            }
        }

        while true {
            let now = MonotonicTime.now()
            guard now < end else { break }
            let due = perNanosecond.map { Int(Double(now &- start) * $0) + 1 } ?? (sent + Self.burst)
            var budget = min(due - sent, Self.burst)
            var isBlocked = false
            while budget > 0 {
                // Round robin over the clients whose window has room.
                var client = -1
                for _ in 0..<clients {
                    let candidate = cursor
                    cursor = cursor + 1 == clients ? 0 : cursor + 1
                    if window == 0 || state.inFlight[candidate] < window {
                        client = candidate
                        break
                    }
                }
                guard client >= 0 else {
                    isBlocked = true
                    break
                }
                let payload = BenchPayload(
                    caseTag: settings.caseTag, client: UInt32(client), sequence: state.nextSequence[client],
                    sentNanoseconds: MonotonicTime.now())
                let messageID = window > 0 ? state.nextMessageID(client: client) : 0
                guard transport.publish(client: client, payload: payload, messageID: messageID, isQoS1: window > 0, isDuplicate: false)
                else {
                    isBlocked = true
                    break
                }
                if window > 0 { state.occupy(client: client, messageID: messageID, payload: payload) }
                state.nextSequence[client] += 1
                sent += 1
                budget -= 1
                lastSend = payload.sentNanoseconds
            }
            if window > 0 {
                poll.wait(timeoutMilliseconds: isBlocked ? 1 : 0, acknowledge)
                if now &- lastRetryScan > 100_000_000 {
                    lastRetryScan = now
                    retransmissions += state.retransmit(olderThan: Self.retryNanoseconds, now: now, caseTag: settings.caseTag, via: transport)
                }
            } else if now &- lastDrain > 10_000_000 {
                // Nothing is expected back at QoS 0, but a DISCONNECT or PINGRESP must not fill the socket.
                lastDrain = now
                poll.wait(timeoutMilliseconds: 0, acknowledge)
            }
            if let perNanosecond, sent >= due {
                // Ahead of schedule: wait for the next message's due time (at most 200 µs).
                let next = UInt64(Double(sent) / perNanosecond)
                let elapsed = MonotonicTime.now() &- start
                if next > elapsed { MonotonicTime.pause(nanoseconds: min(next - elapsed, 200_000)) }
            } else if isBlocked && window == 0 {
                MonotonicTime.pause(nanoseconds: 50_000)
            }
        }

        // The last acknowledgements, bounded in time.
        if window > 0 {
            let drainEnd = MonotonicTime.now() &+ Self.drainNanoseconds
            var lastScan = MonotonicTime.now()
            while state.totalInFlight > 0 {
                let now = MonotonicTime.now()
                guard now < drainEnd else { break }
                poll.wait(timeoutMilliseconds: 5, acknowledge)
                if now &- lastScan > 100_000_000 {
                    lastScan = now
                    retransmissions += state.retransmit(olderThan: Self.retryNanoseconds, now: now, caseTag: settings.caseTag, via: transport)
                }
            }
        }
        return LoadReport(
            sent: sent, retransmissions: retransmissions, unacknowledged: state.totalInFlight,
            sendFailures: transport.sendFailures, refusals: transport.refusals,
            startNanoseconds: start, sendingNanoseconds: max(lastSend &- start, 1))
    }
}
