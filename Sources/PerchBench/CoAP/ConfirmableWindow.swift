/// The CON requests of every sensor that await their 2.04, in flat arrays (one
/// allocation each for all sensors), with RFC 7252 §4.2 retransmission: a
/// random initial timeout between ACK_TIMEOUT and ACK_TIMEOUT ×
/// ACK_RANDOM_FACTOR, doubled at each retransmission, given up after
/// MAX_RETRANSMIT retransmissions; an ACK (empty or not) stops it (§4.2, §5.2.2).
///
/// RFC 7252 §4.7 limits a client to NSTART = 1 outstanding interaction per
/// server by default; a window above 1 is a benchmark of Perch, not a polite sensor.
struct ConfirmableWindow {
    /// RFC 7252 §4.8 transmission parameters (the defaults).
    static let ackTimeoutNanoseconds: UInt64 = 2_000_000_000
    static let ackRandomFactor = 1.5
    static let maxRetransmit = 4

    /// A request the window gave up on or completed.
    struct Slot {
        var token: UInt32
        var messageID: UInt16
        var payload: BenchPayload
    }

    let window: Int
    private(set) var inFlight: [Int]
    private(set) var totalInFlight = 0
    private var slots: [Slot?]
    /// When the next retransmission is due; `UInt64.max` once an ACK has come.
    private var deadlines: [UInt64]
    private var timeouts: [UInt64]
    private var retransmissions: [Int]
    private var generator = SystemRandomNumberGenerator()

    init(clients: Int, window: Int) {
        self.window = window
        inFlight = Array(repeating: 0, count: clients)
        slots = Array(repeating: nil, count: clients * window)
        deadlines = Array(repeating: .max, count: clients * window)
        timeouts = Array(repeating: 0, count: clients * window)
        retransmissions = Array(repeating: 0, count: clients * window)
    }

    /// True when the client may send another request.
    func hasRoom(client: Int) -> Bool { inFlight[client] < window }

    /// Records a request just sent for the first time.
    mutating func occupy(client: Int, request: Slot, now: UInt64) {
        let base = client * window
        for index in base..<(base + window) where slots[index] == nil {
            slots[index] = request
            let spread = Double(Self.ackTimeoutNanoseconds) * (Self.ackRandomFactor - 1)
            timeouts[index] = Self.ackTimeoutNanoseconds + UInt64(Double.random(in: 0...spread, using: &generator))
            deadlines[index] = now &+ timeouts[index]
            retransmissions[index] = 0
            inFlight[client] += 1
            totalInFlight += 1
            return
        }
    }

    /// An ACK for `messageID` arrived (empty: a separate response follows): no more retransmissions.
    mutating func acknowledged(client: Int, messageID: UInt16) {
        guard let index = find(client: client, where: { $0.messageID == messageID }) else { return }
        deadlines[index] = .max
    }

    /// The response carrying `token` arrived: frees its slot and returns the request, nil if none was waiting.
    mutating func complete(client: Int, token: UInt32) -> Slot? {
        guard let index = find(client: client, where: { $0.token == token }) else { return nil }
        return free(index, client: client)
    }

    /// A Reset for `messageID` (RFC 7252 §4.2: the server could not process it): frees its slot.
    mutating func reset(client: Int, messageID: UInt16) -> Slot? {
        guard let index = find(client: client, where: { $0.messageID == messageID }) else { return nil }
        return free(index, client: client)
    }

    /// Sends again every request whose timeout has run out, doubling its timeout;
    /// frees those that already had MAX_RETRANSMIT retransmissions.
    mutating func retransmit(now: UInt64, send: (Int, Slot) -> Bool) -> (retransmitted: Int, abandoned: Int) {
        var retransmitted = 0
        var abandoned = 0
        for index in slots.indices where deadlines[index] <= now {
            guard let slot = slots[index] else { continue }
            let client = index / window
            if retransmissions[index] >= Self.maxRetransmit {
                _ = free(index, client: client)
                abandoned += 1
            } else if send(client, slot) {
                retransmissions[index] += 1
                timeouts[index] &*= 2
                deadlines[index] = now &+ timeouts[index]
                retransmitted += 1
            }
        }
        return (retransmitted, abandoned)
    }

    private func find(client: Int, where matches: (Slot) -> Bool) -> Int? {
        guard client >= 0, client < inFlight.count else { return nil }
        let base = client * window
        for index in base..<(base + window) {
            if let slot = slots[index], matches(slot) { return index }
        }
        return nil
    }

    private mutating func free(_ index: Int, client: Int) -> Slot? {
        let slot = slots[index]
        slots[index] = nil
        deadlines[index] = .max
        inFlight[client] -= 1
        totalInFlight -= 1
        return slot
    }
}
