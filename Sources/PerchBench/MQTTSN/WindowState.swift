/// The per-client QoS 1 windows of the publish loop, in flat arrays (one
/// allocation each for all clients): message id, sequence and send times of
/// every unacknowledged message.
struct WindowState {
    let window: Int
    var inFlight: [Int]
    var nextSequence: [UInt32]
    private(set) var totalInFlight = 0
    private var messageIDs: [UInt16]
    private var lastMessageID: [UInt16]
    private var payloads: [BenchPayload?]
    private var lastSent: [UInt64]

    init(clients: Int, window: Int) {
        self.window = window
        inFlight = Array(repeating: 0, count: clients)
        nextSequence = Array(repeating: 0, count: clients)
        messageIDs = Array(repeating: 0, count: clients * window)
        lastMessageID = Array(repeating: 0, count: clients)
        payloads = Array(repeating: nil, count: clients * window)
        lastSent = Array(repeating: 0, count: clients * window)
    }

    /// The client's next message id: 1…65535, never 0 (MQTT-SN v1.2 §5.3.6, MQTT 3.1.1 §2.3.1).
    mutating func nextMessageID(client: Int) -> UInt16 {
        let next = lastMessageID[client] == UInt16.max ? 1 : lastMessageID[client] + 1
        lastMessageID[client] = next
        return next
    }

    /// Records a sent, not yet acknowledged message in a free slot of the client's window.
    mutating func occupy(client: Int, messageID: UInt16, payload: BenchPayload) {
        let base = client * window
        for slot in base..<(base + window) where payloads[slot] == nil {
            payloads[slot] = payload
            messageIDs[slot] = messageID
            lastSent[slot] = payload.sentNanoseconds
            inFlight[client] += 1
            totalInFlight += 1
            return
        }
    }

    /// Frees the slot of `messageID`; an unknown id (a late PUBACK of a retransmitted message) is ignored.
    mutating func release(client: Int, messageID: UInt16) {
        guard client >= 0, client < inFlight.count else { return }
        let base = client * window
        for slot in base..<(base + window) where payloads[slot] != nil && messageIDs[slot] == messageID {
            payloads[slot] = nil
            inFlight[client] -= 1
            totalInFlight -= 1
            return
        }
    }

    /// Sends again, with DUP, every message unacknowledged for longer than `age`; returns how many.
    mutating func retransmit(olderThan age: UInt64, now: UInt64, caseTag: UInt32, via transport: some LoadTransport) -> Int {
        var count = 0
        for slot in payloads.indices {
            // A message sent after `now` was read is younger than zero, not 584 years old.
            guard let payload = payloads[slot], now > lastSent[slot], now - lastSent[slot] > age else { continue }
            if transport.publish(
                client: slot / window, payload: payload, messageID: messageIDs[slot], isQoS1: true, isDuplicate: true)
            {
                lastSent[slot] = now
                count += 1
            }
        }
        return count
    }
}
