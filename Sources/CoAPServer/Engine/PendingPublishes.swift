/// Confirmable publishes waiting for the upstream, each with the libcoap
/// async entry (`coap_async_t`) that will carry its separate response.
///
/// The upstream's future completes on another thread; it reports back with the
/// numeric id only, so no C pointer leaves the engine's queue.
struct PendingPublishes {
    struct Entry {
        /// The `coap_async_t`; valid until `coap_free_async` or the context is freed.
        let async: OpaquePointer
        /// The answer once the upstream has it safe: 2.04, or 2.02 for DELETE.
        let success: CoAPResponse.Code
        /// Set when the upstream has answered; the re-invoked handler reads it.
        var outcome: Result<Void, any Error>?
    }

    private var entries: [UInt64: Entry] = [:]
    private var idsByAsync: [OpaquePointer: UInt64] = [:]
    private var nextID: UInt64 = 0

    var count: Int { entries.count }

    /// Adds a publish waiting on `async` and returns its id.
    mutating func add(_ async: OpaquePointer, success: CoAPResponse.Code) -> UInt64 {
        nextID += 1
        entries[nextID] = Entry(async: async, success: success)
        idsByAsync[async] = nextID
        return nextID
    }

    /// Records the upstream's answer; returns the async entry to trigger, or
    /// `nil` when the publish is no longer pending (the server stopped).
    mutating func settle(_ id: UInt64, with outcome: Result<Void, any Error>) -> OpaquePointer? {
        guard entries[id] != nil else { return nil }
        entries[id]?.outcome = outcome
        return entries[id]?.async
    }

    /// Removes and returns the outcome for `async` with its success code, once it has one.
    mutating func takeOutcome(for async: OpaquePointer) -> (Result<Void, any Error>, CoAPResponse.Code)? {
        guard let id = idsByAsync[async], let entry = entries[id], let outcome = entry.outcome else { return nil }
        entries.removeValue(forKey: id)
        idsByAsync.removeValue(forKey: async)
        return (outcome, entry.success)
    }

    /// True when `async` belongs to a publish still waiting for the upstream.
    func contains(_ async: OpaquePointer) -> Bool {
        idsByAsync[async] != nil
    }

    /// Forgets everything (the context, and with it every async entry, is going away).
    mutating func removeAll() {
        entries.removeAll()
        idsByAsync.removeAll()
    }
}
