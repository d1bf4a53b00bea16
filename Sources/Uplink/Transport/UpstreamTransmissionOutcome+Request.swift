import PerchCore

extension UpstreamTransmissionOutcome {
    /// What a ticket's end means to the spool. A message the uplink gave up on
    /// because it stops, or that lost its connection before it was written, is
    /// `.interrupted` (kept and sent again later); every other failure is for
    /// good (`.refused`, with the uplink's sentence, which names the topic and,
    /// for a broker refusal, the reason code).
    init(_ outcome: RequestOutcome) {
        switch outcome {
        case .published:
            self = .delivered
        case .failed(.shuttingDown), .failed(.connectionLost):
            self = .interrupted
        case .failed(.packetTooLarge(_, let size, let maximum)):
            self = .tooLarge(size: size, maximum: maximum)
        case .failed(let error):
            self = .refused(error.description)
        case .subscribed, .unsubscribed:
            // invariant: only PUBLISHes carry tickets, and they end as published or failed.
            self = .refused("unexpected outcome \(outcome) of a PUBLISH")
        }
    }
}
