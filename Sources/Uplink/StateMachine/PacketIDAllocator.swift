/// Hands out packet identifiers for PUBLISH (QoS > 0), SUBSCRIBE and UNSUBSCRIBE.
///
/// MQTT 5.0 §2.2.1: identifiers are non-zero and a client must not reuse one
/// while its exchange is still open ([MQTT-2.2.1-3]); they are released when the
/// acknowledgement that closes the exchange arrives.
struct PacketIDAllocator: Sendable {
    private var next: UInt16 = 1
    private(set) var inUse: Set<UInt16> = []

    /// The next free identifier after the last one handed out, or `nil` when all
    /// 65 535 are open (the caller waits for an acknowledgement).
    mutating func allocate() -> UInt16? {
        guard inUse.count < Int(UInt16.max) else { return nil }
        while true {
            let candidate = next
            next = next == UInt16.max ? 1 : next + 1
            if candidate != 0, !inUse.contains(candidate) {
                inUse.insert(candidate)
                return candidate
            }
        }
    }

    /// Marks `id` as taken without allocating it, e.g. for ids restored from a session.
    mutating func reserve(_ id: UInt16) {
        inUse.insert(id)
    }

    /// Frees `id` for reuse.
    mutating func release(_ id: UInt16) {
        inUse.remove(id)
    }

    /// True while `id` belongs to an open exchange.
    func isInUse(_ id: UInt16) -> Bool {
        inUse.contains(id)
    }
}
