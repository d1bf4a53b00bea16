import MQTTCodec
import NIOCore

extension UplinkStateMachine {
    /// Graceful shutdown. Callers whose messages were not sent yet fail with
    /// `shuttingDown` at once (the spool still has them). Messages in flight
    /// get until `drainTimeout` to be acknowledged, so that they are not sent
    /// twice after a restart; then the connection ends with DISCONNECT reason 0,
    /// so that the broker discards the will (MQTT 5.0 §3.14.4, 3.1.1 §3.14.4).
    mutating func shutdown(now: NIODeadline) -> [UplinkAction] {
        guard !isShuttingDown else { return [] }
        isShuttingDown = true
        var actions = failQueued()
        switch phase {
        case .connected:
            if inFlight.isEmpty {
                actions += disconnect()
            } else {
                drainDeadline = now + settings.drainTimeout
            }
        case .awaitingConnAck:
            phase = .stopped
            actions += failInFlight()
            actions.append(.close(nil))
        case .disconnected, .closing, .stopped:
            phase = .stopped
            actions += failInFlight()
        }
        return actions
    }

    /// While draining: the last acknowledgement arrived, so DISCONNECT now.
    mutating func disconnectIfDrained() -> [UplinkAction] {
        guard isShuttingDown, isConnected, inFlight.isEmpty else { return [] }
        return disconnect()
    }

    /// Ends the connection on purpose: DISCONNECT reason 0, then close.
    mutating func disconnect() -> [UplinkAction] {
        phase = .stopped
        drainDeadline = nil
        return failInFlight() + [
            .send(.disconnect(DisconnectPacket(reasonCode: .success))),
            .close(nil),
        ]
    }

    /// Fails the callers of queued publishes and of SUBSCRIBE/UNSUBSCRIBE.
    private mutating func failQueued() -> [UplinkAction] {
        var actions: [UplinkAction] = []
        while let queued = pending.popFirst() {
            if let request = queued.request { actions.append(.complete(request, .failed(.shuttingDown))) }
        }
        for entry in openControl.values.sorted(by: { $0.sequence < $1.sequence }) {
            if let request = entry.request.request { actions.append(.complete(.request(request), .failed(.shuttingDown))) }
        }
        openControl.removeAll()
        while let queued = controlQueue.popFirst() {
            if let request = queued.request { actions.append(.complete(.request(request), .failed(.shuttingDown))) }
        }
        return actions
    }

    /// Fails the callers still waiting on messages in flight; the messages
    /// stay in the session.
    mutating func failInFlight() -> [UplinkAction] {
        var actions: [UplinkAction] = []
        for entry in inFlight.values.sorted(by: { $0.sequence < $1.sequence }) {
            guard let request = entry.request else { continue }
            actions.append(.complete(request, .failed(.shuttingDown)))
            inFlight[entry.packetID]?.request = nil
        }
        return actions
    }
}
