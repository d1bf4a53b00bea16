/// Sends PUTs for a fixed time from every sensor of a `CoAPLoadClients`: NON
/// paced to an aggregate rate or as fast as the sockets take them, CON as fast
/// as each sensor's window allows. Reads every response (acknowledging
/// perchd's confirmable separate responses) with one `poll` over all sockets.
/// Runs on one dedicated thread: no locks, no allocation per message.
struct CoAPPutLoop {
    /// Most messages sent between two looks at the clock and the responses.
    static let burst = 64
    /// How long the generator waits for the last 2.04s after it stops sending:
    /// long enough for a first retransmission (ACK_TIMEOUT × ACK_RANDOM_FACTOR = 3 s).
    static let drainNanoseconds: UInt64 = 8_000_000_000
    /// perchd has stopped answering when nothing at all came back for this long
    /// while requests were outstanding: the case ends with an error.
    static let stallNanoseconds: UInt64 = 5_000_000_000
    /// RFC 7252 §4.4: a message id is not reused within EXCHANGE_LIFETIME (247 s),
    /// longer than any case, so a sensor sends at most 65,535 requests per case
    /// (perchd's deduplication would swallow the rest).
    static let messagesPerClient = 65_535

    let settings: CoAPCase

    func run(_ clients: CoAPLoadClients) throws -> CoAPLoadReport {
        let count = clients.clientCount
        let isConfirmable = settings.isConfirmable
        var poll = ReadinessPoll()
        for index in 0..<count { poll.add(clients.socket(ofClient: index)) }
        var window = ConfirmableWindow(clients: count, window: max(settings.window, 1))
        var nextSequence = Array(repeating: UInt32(0), count: count)
        var report = CoAPLoadReport()
        report.ackLatencies.reserveCapacity(isConfirmable ? 1 << 20 : 0)

        let start = MonotonicTime.now()
        report.startNanoseconds = start
        let end = start &+ settings.durationNanoseconds
        let perNanosecond = settings.rate.map { Double($0) / 1e9 }
        var lastSend = start
        var lastHeard = start
        var cursor = 0
        var lastRetransmitScan = start

        // Message id and token of a first transmission, both from the sequence number:
        // message ids 1…65535 (a retransmission repeats its id, RFC 7252 §4.2), tokens unique per sensor.
        func messageID(_ sequence: UInt32) -> UInt16 { UInt16(truncatingIfNeeded: sequence + 1) }

        func handle(_ client: Int) {
            clients.receive(fromClient: client) { header in
                let now = MonotonicTime.now()
                lastHeard = now
                switch header.type {
                case .acknowledgement where header.isEmpty:
                    window.acknowledged(client: client, messageID: header.messageID)
                    return
                case .reset:
                    report.otherResponses["RST", default: 0] += 1
                    _ = window.reset(client: client, messageID: header.messageID)
                    return
                case .confirmable:
                    // A separate response (RFC 7252 §5.2.2): acknowledged even when it repeats one already seen.
                    clients.acknowledge(client: client, messageID: header.messageID)
                case .acknowledgement, .nonConfirmable:
                    break
                }
                guard isConfirmable else {
                    record(header.code, at: now)
                    return
                }
                guard let token = header.token, let request = window.complete(client: client, token: token) else { return }
                record(header.code, at: now)
                if header.code == CoAPMessageEncoder.Code.changed {
                    report.ackLatencies.append(now >= request.payload.sentNanoseconds ? now - request.payload.sentNanoseconds : 0)
                }
            }
        }

        func record(_ code: UInt8, at now: UInt64) {
            if code == CoAPMessageEncoder.Code.changed {
                report.changed += 1
                if now < end { report.changedWhileSending += 1 }
            } else {
                report.otherResponses[CoAPResponseHeader.text(ofCode: code), default: 0] += 1
            }
        }

        func retransmit(_ now: UInt64) {
            let (retransmitted, abandoned) = window.retransmit(now: now) { client, slot in
                clients.put(
                    client: client, isConfirmable: true, messageID: slot.messageID, token: slot.token, payload: slot.payload)
            }
            report.retransmissions += retransmitted
            report.abandoned += abandoned
        }

        func checkStall(_ now: UInt64, isWaiting: Bool) throws {
            guard isWaiting, now > lastHeard, now - lastHeard > Self.stallNanoseconds else { return }
            throw BenchError.notAnswering(
                "perchd sent nothing back for \(Self.stallNanoseconds / 1_000_000_000) s "
                    + "(\(report.sent) sent, \(report.changed) answered 2.04)")
        }

        while true {
            let now = MonotonicTime.now()
            guard now < end else { break }
            let due = perNanosecond.map { Int(Double(now &- start) * $0) + 1 } ?? (report.sent + Self.burst)
            var budget = min(due - report.sent, Self.burst)
            var isBlocked = false
            while budget > 0 {
                // Round robin over the sensors with room in their window and message ids left.
                var client = -1
                for _ in 0..<count {
                    let candidate = cursor
                    cursor = cursor + 1 == count ? 0 : cursor + 1
                    if (!isConfirmable || window.hasRoom(client: candidate)) && nextSequence[candidate] < Self.messagesPerClient {
                        client = candidate
                        break
                    }
                }
                guard client >= 0 else {
                    isBlocked = true
                    break
                }
                let sequence = nextSequence[client]
                let payload = BenchPayload(
                    caseTag: settings.caseTag, client: UInt32(client), sequence: sequence, sentNanoseconds: MonotonicTime.now())
                guard clients.put(
                    client: client, isConfirmable: isConfirmable, messageID: messageID(sequence), token: sequence, payload: payload)
                else {
                    isBlocked = true
                    break
                }
                if isConfirmable {
                    window.occupy(
                        client: client, request: .init(token: sequence, messageID: messageID(sequence), payload: payload),
                        now: payload.sentNanoseconds)
                }
                nextSequence[client] += 1
                report.sent += 1
                budget -= 1
                lastSend = payload.sentNanoseconds
            }
            poll.wait(timeoutMilliseconds: isBlocked && isConfirmable ? 1 : 0, handle)
            if isConfirmable && now &- lastRetransmitScan > 10_000_000 {
                lastRetransmitScan = now
                retransmit(now)
            }
            try checkStall(now, isWaiting: report.sent > 0)
            if let perNanosecond, report.sent >= due {
                // Ahead of schedule: wait for the next message's due time (at most 200 µs).
                let next = UInt64(Double(report.sent) / perNanosecond)
                let elapsed = MonotonicTime.now() &- start
                if next > elapsed { MonotonicTime.pause(nanoseconds: min(next - elapsed, 200_000)) }
            } else if isBlocked && !isConfirmable {
                MonotonicTime.pause(nanoseconds: 50_000)
            }
        }
        report.sendingNanoseconds = max(lastSend &- start, 1)

        // The last responses, bounded in time. NON: until the answers stop coming (0.5 s quiet).
        let drainEnd = MonotonicTime.now() &+ Self.drainNanoseconds
        while true {
            let now = MonotonicTime.now()
            guard now < drainEnd else { break }
            if isConfirmable {
                guard window.totalInFlight > 0 else { break }
                try checkStall(now, isWaiting: true)
            } else if now &- max(lastHeard, lastSend) > 500_000_000 {
                break
            }
            poll.wait(timeoutMilliseconds: 5, handle)
            if isConfirmable && now &- lastRetransmitScan > 10_000_000 {
                lastRetransmitScan = now
                retransmit(now)
            }
        }
        report.unacknowledged = window.totalInFlight
        report.sendFailures = clients.sendFailures
        return report
    }
}
