/// `spool`: the store-and-forward queue (SPEC §5).
public struct SpoolConfiguration: Sendable, Equatable {
    /// `spool.max_bytes`: size bound. Default: 64MiB.
    public var maxBytes: ByteCount
    /// `spool.max_age`: messages older than this are dropped. Default: 7d.
    public var maxAge: Duration
    /// `spool.buffer_qos0`: spool QoS 0, -1 and NON messages too. Default: `true`.
    public var bufferQoS0: Bool
    /// `spool.overflow`: what a full spool does. Default: `drop_oldest`.
    public var overflow: OverflowPolicy
    /// `spool.commit_interval`: group-commit period. Default: 100ms.
    public var commitInterval: Duration

    /// Creates the section.
    public init(
        maxBytes: ByteCount = .mebibytes(64),
        maxAge: Duration = .seconds(7 * 86_400),
        bufferQoS0: Bool = true,
        overflow: OverflowPolicy = .dropOldest,
        commitInterval: Duration = .milliseconds(100)
    ) {
        self.maxBytes = maxBytes
        self.maxAge = maxAge
        self.bufferQoS0 = bufferQoS0
        self.overflow = overflow
        self.commitInterval = commitInterval
    }
}

/// `spool.overflow`: what happens when the spool is full.
public enum OverflowPolicy: String, Sendable, Hashable, CaseIterable {
    /// Drop the oldest messages to make room.
    case dropOldest = "drop_oldest"
    /// Refuse new messages; QoS 1/2 senders see "rejected: congestion".
    case rejectNew = "reject_new"
}
