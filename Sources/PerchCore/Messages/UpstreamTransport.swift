import NIOCore

/// The upstream connection as the spool drives it: a window of messages handed
/// over one by one, each reported back once, all on one event loop. `Uplink`
/// implements it; the spool depends only on this protocol (the dependency
/// points inward).
///
/// Every method must be called on `eventLoop`, and the completion handler is
/// called there. It may be called from inside `transmit` (a QoS 0 message goes
/// out at once on a connected link), so a caller must tolerate re-entry.
public protocol UpstreamTransport: Sendable {
    /// The loop every call happens on.
    var eventLoop: any EventLoop { get }

    /// Sets the one receiver of `UpstreamTransmission` outcomes, before the
    /// first `transmit`. Call on `eventLoop`.
    func setTransmissionHandler(_ handler: @escaping (UpstreamTicket, UpstreamTransmissionOutcome) -> Void)

    /// Sets the one receiver of link changes: `true` once the broker has
    /// accepted a connection (CONNACK), `false` when it is lost. The link is
    /// down until the first `true`. Call on `eventLoop`; called there.
    ///
    /// The spool hands messages over only while the link is up, so that during
    /// an outage they wait where it can write, bound and drop them, rather than
    /// in the uplink's memory.
    func setLinkHandler(_ handler: @escaping (Bool) -> Void)

    /// Queues `message` behind everything transmitted before it, with nothing
    /// to report: for a QoS 0 message that nobody waits for, handed over while
    /// the link is up and nothing waits before it (the spool's fast path: no
    /// ticket, no entry, no report). Call on `eventLoop`.
    func send(_ message: Message)

    /// Queues `message` behind everything transmitted before it. Its outcome is
    /// reported exactly once with `ticket`: when the broker has taken it
    /// (PUBACK at QoS 1, PUBREC at QoS 2, at QoS 0 once it is handed to a live
    /// connection), when it is refused for good, or when the uplink stops
    /// before either. Messages wait in order while the link is down and are
    /// sent again after a reconnect, so the caller keeps no retry of its own.
    /// Call on `eventLoop`.
    func transmit(_ message: Message, ticket: UpstreamTicket)

    /// Why `message` can never be delivered, if that is known before it is
    /// sent: its PUBLISH is larger than the broker takes (the Maximum Packet
    /// Size of the broker's last CONNACK, or the configured one). The spool
    /// asks before it takes a message, so that such a message is refused to
    /// its sender, never acknowledged and then dropped (SPEC §5). Call on `eventLoop`.
    func refusal(of message: Message) -> MessageRefusal?
}

/// Names one `UpstreamTransport.transmit` for its outcome. The spool uses the
/// message's sequence.
public struct UpstreamTicket: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public var description: String { "#\(rawValue)" }
}

/// How one transmission ended.
public enum UpstreamTransmissionOutcome: Sendable, Equatable {
    /// The broker owns the message (see `UpstreamTransport.transmit`).
    case delivered
    /// It can never be delivered: the broker refused it with a reason code,
    /// closed the link over it until it was taken out, or it cannot be
    /// encoded. The words say why.
    case refused(String)
    /// Its PUBLISH is larger than the broker's Maximum Packet Size, learned
    /// after the message was taken.
    case tooLarge(size: Int, maximum: Int)
    /// The uplink stopped before the broker took it: whether it arrived is
    /// unknown, so it must be kept and sent again after the next start.
    case interrupted
}

extension UpstreamTransport {
    /// A transport that knows no limit refuses nothing at the door.
    public func refusal(of message: Message) -> MessageRefusal? { nil }
}
