import MQTTSNCodec
import NIOCore

/// Session bookkeeping: lookup maps, state changes and their counters, sending,
/// presence and persistence.
extension MQTTSNGateway {
    /// Sends `packet` to `peer`, counted.
    mutating func send(_ packet: MQTTSNPacket, to peer: Peer, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        statistics.sent &+= 1
        actions.append(.send(packet, to: peer))
    }

    /// A packet that is not valid here: counted and otherwise ignored.
    mutating func rejectInvalid(_ packet: MQTTSNPacket, from peer: Peer) {
        statistics.invalid &+= 1
        logger.trace("MQTT-SN: ignored \(packet.messageType) from \(peer)")
    }

    /// A fresh stamp for a timer entry or a connection.
    mutating func makeStamp() -> UInt64 {
        defer { nextStamp &+= 1 }
        return nextStamp
    }

    /// Moves a session to `state`, keeping the counters and the peer map in step.
    mutating func setState(_ index: Int, _ state: MQTTSNClientState) {
        let old = sessions[index].state
        guard old != state else { return }
        if old.isLive != state.isLive { statistics.clients += state.isLive ? 1 : -1 }
        if old.isSleeping != state.isSleeping { statistics.asleep += state.isSleeping ? 1 : -1 }
        sessions[index].state = state
        let peer = sessions[index].peer
        if state.isLive {
            indexByPeer[peer] = index
        } else if indexByPeer[peer] == index {
            indexByPeer[peer] = nil
        }
    }

    /// Points a live session at a new address, dropping the old mapping.
    mutating func move(_ index: Int, to peer: Peer) {
        let old = sessions[index].peer
        guard old != peer else { return }
        if indexByPeer[old] == index { indexByPeer[old] = nil }
        sessions[index].peer = peer
        if sessions[index].state.isLive { indexByPeer[peer] = index }
    }

    /// Adds a session (in `.connecting`, which counts as live) and returns its index.
    mutating func insert(_ session: MQTTSNSession<Peer, Instant>) -> Int {
        let index = sessions.count
        sessions.append(session)
        indexByClientID[session.clientID] = index
        if session.state.isLive {
            statistics.clients += 1
            if session.state.isSleeping { statistics.asleep += 1 }
            indexByPeer[session.peer] = index
        }
        return index
    }

    /// Removes a session, swapping the last one into its place.
    mutating func remove(_ index: Int) {
        setState(index, .disconnected)
        let removed = sessions[index]
        indexByClientID[removed.clientID] = nil
        let last = sessions.count - 1
        if index != last {
            sessions.swapAt(index, last)
            let moved = sessions[index]
            indexByClientID[moved.clientID] = index
            if indexByPeer[moved.peer] == last { indexByPeer[moved.peer] = index }
        }
        sessions.removeLast()
    }

    /// Publishes a client's presence, retained at QoS 1, outside the mountpoint (SPEC §2).
    mutating func publishPresence(_ clientID: String, _ presence: StaticString, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        guard let prefix = configuration.presenceTopicPrefix else { return }
        let message = Message(topic: prefix + clientID, payload: ByteBuffer(staticString: presence), qos: .atLeastOnce, retain: true)
        actions.append(.publish(message, receipt: nil))
    }

    /// Asks the shell to persist the session (SPEC §3).
    func store(_ index: Int, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        actions.append(.store(sessions[index].record))
    }

    /// Makes sure the timer heap holds an entry no later than the session's next
    /// deadline. An existing earlier entry is kept: when it fires, the session's
    /// deadlines are looked at again and a new entry pushed (lazy invalidation).
    mutating func schedule(_ index: Int) {
        guard let due = sessions[index].nextDue else { return }
        if let scheduled = sessions[index].scheduled, scheduled <= due { return }
        let stamp = makeStamp()
        sessions[index].timerStamp = stamp
        sessions[index].scheduled = due
        timers.push(.init(deadline: due, clientID: sessions[index].clientID, stamp: stamp))
        if timers.count > 4 * sessions.count + 64 { compactTimers() }
    }

    /// Rebuilds the heap from the sessions' live entries. Each push of an earlier
    /// deadline leaves the session's previous entry stale until it surfaces, which
    /// under steady QoS 1 downlink could be many keep-alive periods away; this keeps
    /// the heap within a few entries per session, at O(n log n) once in a while.
    private mutating func compactTimers() {
        timers.removeAll()
        for session in sessions {
            guard let scheduled = session.scheduled else { continue }
            timers.push(.init(deadline: scheduled, clientID: session.clientID, stamp: session.timerStamp))
        }
    }

    /// `now` plus the retransmission interval (§6.13: Tretry).
    func retryDeadline(after now: Instant) -> Instant {
        now.advanced(by: configuration.retryInterval)
    }
}

extension MQTTSNClientState {
    /// Asleep or awake: a sleeping client (§6.14).
    var isSleeping: Bool { self == .asleep || self == .awake }
}
