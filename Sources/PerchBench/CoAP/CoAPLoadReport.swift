/// What the CoAP generator did and heard in one case.
struct CoAPLoadReport: Sendable {
    /// Distinct requests sent (first transmissions).
    var sent = 0
    /// CON retransmissions after an ACK timeout (RFC 7252 §4.2).
    var retransmissions = 0
    /// CON requests given up after MAX_RETRANSMIT retransmissions without an ACK.
    var abandoned = 0
    /// CON requests still awaiting their 2.04 when the generator stopped waiting.
    var unacknowledged = 0
    /// Responses 2.04 Changed: for CON the acknowledgement that counts, for NON an answer.
    var changed = 0
    /// Responses with any other code, by code (`c.dd`), and Resets.
    var otherResponses: [String: Int] = [:]
    /// Sends that failed outright.
    var sendFailures = 0
    /// `MonotonicTime` of the first send.
    var startNanoseconds: UInt64 = 0
    /// From the first send to the last first transmission.
    var sendingNanoseconds: UInt64 = 1
    /// 2.04 responses that arrived before the sending time ended.
    var changedWhileSending = 0
    /// First transmission to 2.04, per CON request, in nanoseconds.
    var ackLatencies: [UInt64] = []

    /// Distinct requests per second sent.
    var sentPerSecond: Double { Double(sent) / max(Double(sendingNanoseconds) / 1e9, 1e-9) }

    /// 2.04 responses per second while sending: the steady rate. (Counted to the
    /// last 2.04 instead, one request retransmitted after 2–3 s would halve it.)
    var changedPerSecond: Double { Double(changedWhileSending) / max(Double(sendingNanoseconds) / 1e9, 1e-9) }

    /// The other responses as one short text (`5.03 ×12, RST ×1`), empty when none.
    var otherResponsesText: String {
        otherResponses.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }
}
