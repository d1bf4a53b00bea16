/// How the spool behaves: the operator's `spool` section (SPEC §1, §5) plus the
/// few internal sizes that bound its memory. Built once by the daemon.
public struct SpoolPolicy: Sendable, Equatable {
    /// What a full spool does with a new message.
    public enum Overflow: Sendable, Equatable {
        /// Drop the oldest waiting messages until the new one fits.
        case dropOldest
        /// Refuse the new message: QoS 1/2 senders see "rejected: congestion".
        case rejectNew
    }

    /// `spool.max_bytes`: the most `SpooledMessage.accountedBytes` held at once.
    public var maximumBytes: Int
    /// `spool.max_age`: a message older than this is dropped rather than sent;
    /// on an MQTT 5 uplink the rest of its lifetime goes out as Message Expiry
    /// Interval (MQTT 5.0 §3.3.2.3.3).
    public var maximumAge: Duration
    /// `spool.buffer_qos0`: keep QoS 0 (and MQTT-SN QoS -1, CoAP NON) messages
    /// across an outage too. Off: while the link is down they are dropped and counted.
    public var buffersQoS0: Bool
    /// `spool.overflow`.
    public var overflow: Overflow
    /// `spool.commit_interval`: the longest a message stays in memory only.
    public var commitInterval: Duration

    /// A commit starts at once when this many messages wait for one ("or sooner
    /// when a batch fills").
    public var batchLimit: Int
    /// Messages handed to the uplink and not yet reported back; the rest wait in
    /// the spool, in order. A few times the broker's Receive Maximum, so that
    /// the link stays busy while acknowledgements are on their way.
    public var window: Int
    /// Bytes of waiting, already committed messages kept in memory; beyond this
    /// they live on disk only and are read back when their turn comes.
    public var residentBytes: Int
    /// Bytes of messages not yet on disk (a commit failing, the disk full) beyond
    /// which new messages are refused rather than held in memory with no copy.
    public var uncommittedBytesLimit: Int
    /// How long to wait before trying a failed commit again.
    public var retryInterval: Duration

    public init(
        maximumBytes: Int = 64 << 20,
        maximumAge: Duration = .seconds(7 * 86_400),
        buffersQoS0: Bool = true,
        overflow: Overflow = .dropOldest,
        commitInterval: Duration = .milliseconds(100),
        batchLimit: Int = 4_096,
        window: Int = 1_024,
        residentBytes: Int = 4 << 20,
        uncommittedBytesLimit: Int = 8 << 20,
        retryInterval: Duration = .seconds(1)
    ) {
        self.maximumBytes = maximumBytes
        self.maximumAge = maximumAge
        self.buffersQoS0 = buffersQoS0
        self.overflow = overflow
        self.commitInterval = commitInterval
        self.batchLimit = batchLimit
        self.window = window
        self.residentBytes = residentBytes
        self.uncommittedBytesLimit = uncommittedBytesLimit
        self.retryInterval = retryInterval
    }
}
