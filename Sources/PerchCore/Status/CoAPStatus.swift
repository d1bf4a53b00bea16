/// The `coap` section of the status JSON (SPEC §7).
public struct CoAPStatus: Sendable, Equatable {
    /// Requests handled, answered or refused.
    public var requests: UInt64
    /// Observations (RFC 7641) active right now.
    public var observers: Int
    /// Requests refused as malformed (4.00). Datagrams libcoap cannot parse
    /// are dropped inside libcoap and not seen here (Docs/coap.md).
    public var invalid: UInt64

    /// The section with the given counts.
    public init(requests: UInt64, observers: Int, invalid: UInt64) {
        self.requests = requests
        self.observers = observers
        self.invalid = invalid
    }
}

extension CoAPStatus: Encodable {
    private enum CodingKeys: String, CodingKey {
        case requests, observers, invalid
    }
}
