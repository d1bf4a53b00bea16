import PerchCore

/// What the spool's logic asks its runtime to do. The runtime carries the
/// actions out in order and decides nothing itself.
enum SpoolAction<Sender> {
    /// Hand the message to the uplink (`UpstreamTransport.transmit`).
    case transmit(Message, UpstreamTicket)
    /// Hand the message to the uplink with nothing to report back
    /// (`UpstreamTransport.send`): a QoS 0 message that passes straight through.
    case forward(Message)
    /// The sender's message is safe: acknowledged by the broker or on disk.
    case acknowledge(Sender)
    /// The sender's message was not kept (the sender must be told, e.g. an
    /// MQTT-SN PUBACK "rejected: congestion").
    case reject(Sender, SpoolRejection)
    /// Start writing `batch` (one transaction). Never two at once.
    case commit(SpoolCommitBatch)
    /// Start reading the waiting messages in `range` back from disk.
    case load(ClosedRange<UInt64>, limit: Int)
    /// Something the operator should hear about (the runtime logs it, once per burst).
    case report(SpoolEvent)
}

/// Why the spool did not keep a message.
public enum SpoolRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// `max_bytes` reached and `overflow: reject_new`, or nothing left to drop
    /// (everything held is already with the uplink).
    case full
    /// Dropped to make room (`overflow: drop_oldest`) before it was safe.
    case droppedForSpace
    /// Older than `max_age` when its turn came.
    case expired
    /// The disk is not taking writes and the memory set aside for messages not
    /// yet on disk is full.
    case storeUnavailable
    /// The broker or the encoder refused it for good.
    case refused(String)
    /// QoS 0 with `buffer_qos0: false` and the link not free to take it now.
    case notBuffered
    /// Perch is stopping.
    case stopping
    /// It can never be delivered (too large for the broker, or refused by it):
    /// the sender is told so, for good.
    case permanent(MessageRefusal)

    public var description: String {
        switch self {
        case .full: "the spool is full (max_bytes)"
        case .droppedForSpace: "dropped to make room (overflow: drop_oldest)"
        case .expired: "older than max_age"
        case .storeUnavailable: "the spool cannot write to disk and its memory for unwritten messages is full"
        case .refused(let reason): "refused upstream: \(reason)"
        case .notBuffered: "QoS 0 not buffered (buffer_qos0: false) while the uplink is busy or down"
        case .stopping: "perchd is stopping"
        case .permanent(let refusal): "\(refusal)"
        }
    }
}

/// One group commit: what to add and what to remove, in one transaction.
struct SpoolCommitBatch: Sendable {
    var inserting: [SpooledMessage]
    var deleting: [ClosedRange<UInt64>]
    var deadLetters: [DeadLetter] = []
}

/// Events for the log and the status.
enum SpoolEvent: Sendable, Equatable {
    /// Messages lost (not refused to a sender who could retry): counted in `dropped`.
    case dropped(count: Int, reason: SpoolRejection)
    /// A write or read failed; the spool goes on in memory and tries again.
    case storeFailed(SpoolStoreError)
    /// Writes succeed again after a failure.
    case storeRecovered
    /// A message acknowledged to its sender was moved to the dead letters.
    case deadLettered(topic: String, size: Int, reason: String)
    /// The dead-letter table was full: its oldest messages were dropped.
    case deadLettersDropped(count: Int)
}
