/// Keep-alive (MQTT-SN v1.2 §6.11), sleep (§6.14), retransmission (§6.13),
/// will-prompt and ADVERTISE (§6.1) timers.
extension MQTTSNGateway {
    /// Handles every timer due at `now`: ADVERTISE, supervision (a client silent
    /// for 1.5 × its keep-alive or sleep duration is lost and its will published),
    /// retransmissions and will prompts.
    public mutating func expireTimers(now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {
        if !isStarted { start(now: now, actions: &actions) }
        if let due = nextAdvertise, due <= now { advertise(now: now, &actions) }
        while let top = timers.first, top.deadline <= now {
            _ = timers.pop()
            guard let index = indexByClientID[top.clientID], sessions[index].timerStamp == top.stamp else { continue }
            sessions[index].scheduled = nil
            expire(index, now: now, &actions)
            // The session may be gone, or have moved in `sessions`.
            if let index = indexByClientID[top.clientID] { schedule(index) }
        }
    }

    /// The timers of one session at `now`. May close it.
    private mutating func expire(_ index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        if let deadline = sessions[index].supervisionDeadline, deadline <= now {
            close(index, .lost, &actions)
            return
        }
        guard let retry = sessions[index].retryDeadline, retry <= now else { return }
        if sessions[index].state == .connecting {
            repeatWillPrompt(index, now: now, &actions)
        } else {
            retransmit(index, now: now, &actions)
        }
    }
}
