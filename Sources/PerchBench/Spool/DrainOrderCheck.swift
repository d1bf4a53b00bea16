/// SPEC §5's order, as the subscriber can judge it: per client, the first
/// arrivals of the messages its sender sent once come in increasing sequence.
/// Messages the sender had to resend (`DrainResendLog`) are left out and
/// counted apart: they reached perchd after later ones.
struct DrainOrderCheck: Sendable {
    private let resent: Set<DrainMessageKey>
    private var highest: [Int64]
    private var seen: Set<DrainMessageKey> = []
    /// First arrivals of once-sent messages after a later message of the same client.
    private(set) var late = 0
    /// First arrivals of resent messages.
    private(set) var resentArrivals = 0

    init(clients: Int, resent: Set<DrainMessageKey>) {
        self.resent = resent
        highest = Array(repeating: -1, count: clients)
    }

    /// Judges one arrival.
    mutating func record(_ payload: BenchPayload) {
        let key = DrainMessageKey(client: payload.client, sequence: payload.sequence)
        guard Int(payload.client) < highest.count, seen.insert(key).inserted else { return }
        guard !resent.contains(key) else {
            resentArrivals += 1
            return
        }
        let client = Int(payload.client)
        if Int64(payload.sequence) < highest[client] { late += 1 } else { highest[client] = Int64(payload.sequence) }
    }
}
