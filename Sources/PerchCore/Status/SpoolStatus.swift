/// The `spool` section of the status JSON (SPEC §7).
public struct SpoolStatus: Sendable, Equatable {
    /// Messages held: waiting, on their way to the broker, in memory or on disk.
    public var messages: Int
    /// Their `SpooledMessage.accountedBytes`, the figure `max_bytes` bounds.
    public var bytes: Int
    /// Age of the oldest message held, in whole seconds (0 when empty).
    public var oldestAgeSeconds: Int
    /// Messages lost: dropped for room, expired, refused upstream, or QoS 0 not kept.
    public var dropped: UInt64
    /// Messages refused to a sender who was told (MQTT-SN "rejected: congestion"),
    /// so it could send them again. Not in SPEC §7's example: an addition.
    public var rejected: UInt64
    /// Why the disk is not taking writes, while it is not; `null` otherwise.
    /// Not in SPEC §7's example: an addition, like `uplink.last_error`.
    public var lastError: String?
    /// The damaged database file moved aside at this start, if one was.
    public var recoveredFrom: String?
    /// Messages held in the dead-letter table: acknowledged to their sensor,
    /// then found undeliverable (the broker kept closing the link over them,
    /// or refused them). `perchd spool dead-letters` lists and re-queues them.
    public var deadLettered: Int

    public init(
        messages: Int, bytes: Int, oldestAgeSeconds: Int, dropped: UInt64, rejected: UInt64 = 0,
        lastError: String? = nil, recoveredFrom: String? = nil, deadLettered: Int = 0
    ) {
        self.deadLettered = deadLettered
        self.messages = messages
        self.bytes = bytes
        self.oldestAgeSeconds = oldestAgeSeconds
        self.dropped = dropped
        self.rejected = rejected
        self.lastError = lastError
        self.recoveredFrom = recoveredFrom
    }
}

extension SpoolStatus: Encodable {
    private enum CodingKeys: String, CodingKey {
        case messages, bytes, dropped, rejected
        case deadLettered = "dead_lettered"
        case oldestAgeSeconds = "oldest_age_s"
        case lastError = "last_error"
        case recoveredFrom = "recovered_from"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messages, forKey: .messages)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(oldestAgeSeconds, forKey: .oldestAgeSeconds)
        try container.encode(dropped, forKey: .dropped)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(deadLettered, forKey: .deadLettered)
        if let lastError {
            try container.encode(lastError, forKey: .lastError)
        } else {
            try container.encodeNil(forKey: .lastError)
        }
        try container.encodeIfPresent(recoveredFrom, forKey: .recoveredFrom)
    }
}
