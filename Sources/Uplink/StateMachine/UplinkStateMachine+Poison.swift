import MQTTCodec

/// Finding a poison message: one the broker answers by closing the link
/// (MQTT 3.1.1 has no other way to refuse a PUBLISH: a packet over the
/// broker's size limit, a topic its ACL forbids, QoS or retain it does not
/// allow). Sent again first after every reconnect, such a message would block
/// everything behind it for good (SPEC §5: no message blocks the ones behind it).
///
/// After a connection is lost with messages in flight, the uplink probes:
/// those messages go out one at a time, each only once the one before is
/// acknowledged. A connection the broker then ends while exactly one message
/// is in flight is a strike against that message; at `poisonThreshold`
/// strikes it is taken out of the queue and its caller told
/// (`UplinkError.poisonMessage`; the spool keeps it as a dead letter), and the
/// rest flows on. An outage that happens to fall on a probe costs a strike
/// too, which is why it takes several.
extension UplinkStateMachine {
    /// Connections lost with a message alone in flight before it is taken out.
    static let poisonThreshold = 3

    /// Called as a connection ends (not at shutdown): strikes the message in
    /// flight if it is the only one written on this connection and not
    /// acknowledged, takes it out at the threshold, and starts probing when
    /// anything was in flight.
    mutating func strikeLoneMessageInFlight() -> [UplinkAction] {
        let unacknowledged = inFlight.values.filter { $0.stage == .awaitingAcknowledgement && $0.isSentOnThisConnection }
        guard !unacknowledged.isEmpty else { return [] }
        isProbing = true
        guard unacknowledged.count == 1, let suspect = unacknowledged.first else { return [] }
        let strikes = suspect.strikes + 1
        guard strikes >= Self.poisonThreshold else {
            inFlight[suspect.packetID]?.strikes = strikes
            return []
        }
        inFlight.removeValue(forKey: suspect.packetID)
        packetIDs.release(suspect.packetID)
        let error = UplinkError.poisonMessage(topic: suspect.packet.topic, size: suspect.encodedSize, attempts: strikes)
        endProbingIfDone()
        return [suspect.request.map { .complete($0, .failed(error)) } ?? .warn("\(error); it is dropped")]
    }

    /// Probing ends once no message that was in flight at the loss waits any
    /// more: none unacknowledged in flight, none requeued at the front.
    mutating func endProbingIfDone() {
        guard isProbing else { return }
        if inFlight.values.contains(where: { $0.stage == .awaitingAcknowledgement }) { return }
        if pending.first?.isSuspect == true { return }
        isProbing = false
    }

    /// While probing: the QoS 1/2 PUBLISHes written on this connection and
    /// not yet acknowledged (at most one is allowed).
    var probesOutstanding: Int {
        inFlight.values.reduce(0) { count, entry in
            count + (entry.stage == .awaitingAcknowledgement && entry.isSentOnThisConnection ? 1 : 0)
        }
    }

    /// While probing after a reconnect with a session: the oldest message not
    /// yet sent again goes now (DUP, its own id), if nothing else is out.
    mutating func resendNextProbe() -> [UplinkAction] {
        guard isProbing, probesOutstanding == 0 else { return [] }
        let waiting = inFlight.values.filter { $0.stage == .awaitingAcknowledgement && !$0.isSentOnThisConnection }
        guard let next = waiting.min(by: { $0.sequence < $1.sequence }) else { return [] }
        var packet = next.packet
        packet.dup = true
        inFlight[next.packetID]?.packet = packet
        inFlight[next.packetID]?.isSentOnThisConnection = true
        return [.send(.publish(packet))]
    }
}
