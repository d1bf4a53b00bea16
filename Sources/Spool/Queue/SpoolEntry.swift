import NIOCore
import PerchCore

/// One message the spool holds in memory, wherever it stands: waiting its
/// turn, handed to the uplink, or being committed. A reference type because
/// one entry sits in two lists at once (its place in the order, and the list
/// of messages not yet on disk) and both must see the same flags.
final class SpoolEntry<Sender> {
    let sequence: UInt64
    /// The message; an entry whose message lives on disk only is not in memory at all.
    var message: Message
    let arrivalMilliseconds: Int64
    /// When the spool took it (monotonic): the group-commit deadline counts from here.
    let acceptedAt: NIODeadline
    let bytes: Int
    /// Who waits to hear that the message is safe; `nil` when nobody does or
    /// they were already told.
    var sender: Sender?
    /// Whether the message must reach the disk if the broker does not take it
    /// in time: QoS 1/2 always, QoS 0 only with `buffer_qos0`.
    let isDurable: Bool
    /// On disk, in a committed transaction.
    var isCommitted: Bool
    /// In the transaction being written right now.
    var isCommitting = false
    /// Handed to the uplink and not yet reported back.
    var isHanded = false
    /// Done with: delivered, refused or dropped. An entry still listed
    /// somewhere (the uncommitted list is pruned lazily) is skipped.
    var isFinished = false

    init(
        sequence: UInt64, message: Message, arrivalMilliseconds: Int64, acceptedAt: NIODeadline,
        bytes: Int, sender: Sender?, isDurable: Bool, isCommitted: Bool
    ) {
        self.sequence = sequence
        self.message = message
        self.arrivalMilliseconds = arrivalMilliseconds
        self.acceptedAt = acceptedAt
        self.bytes = bytes
        self.sender = sender
        self.isDurable = isDurable
        self.isCommitted = isCommitted
    }

    /// The row for the disk tier.
    var spooled: SpooledMessage {
        SpooledMessage(sequence: sequence, message: message, arrivalMilliseconds: arrivalMilliseconds)
    }
}
