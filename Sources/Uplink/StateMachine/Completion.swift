import PerchCore

/// Who is told when a PUBLISH ends: a caller of `publish`/`enqueue` behind a
/// promise (`request`), or the spool through `UpstreamTransport` (`ticket`).
/// A ticket needs no promise and no table entry: its outcome goes straight to
/// the transmission handler, which keeps the spool's per-message path as cheap
/// as `send(_:)`.
enum Completion: Hashable, Sendable, CustomStringConvertible {
    case request(RequestID)
    case ticket(UpstreamTicket)

    var description: String {
        switch self {
        case .request(let request): return "request \(request)"
        case .ticket(let ticket): return "ticket \(ticket)"
        }
    }
}
