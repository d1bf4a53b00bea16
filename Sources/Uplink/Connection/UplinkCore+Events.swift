import Logging
import MQTTCodec
import NIOCore

/// What the channel handler reports about the current connection.
extension UplinkCore {
    /// The transport is up (TCP; TLS is still handshaking): CONNECT goes out.
    func connectionOpened(handler: UplinkChannelHandler) {
        // Happy eyeballs may connect a second channel in a race; one connection only.
        guard self.handler == nil else {
            handler.close()
            return
        }
        self.handler = handler
        closeReason = nil
        connectedAt = nil
        perform(machine.connectionOpened(now: eventLoop.now))
    }

    /// A decoded packet from the broker.
    func received(_ packet: MQTTPacket, from handler: UplinkChannelHandler) {
        guard handler === self.handler else { return }
        perform(machine.received(packet, now: eventLoop.now))
    }

    /// The pipeline reported an error; it becomes the reason the connection ends.
    func connectionFailed(_ error: any Error, on handler: UplinkChannelHandler) {
        guard handler === self.handler, closeReason == nil else { return }
        closeReason = UplinkError.translating(error, endpoint: machine.settings.endpoint, isEstablished: machine.isConnected)
    }

    /// The connection is gone: the session stays, the status says why.
    func connectionClosed(_ handler: UplinkChannelHandler) {
        guard handler === self.handler else { return }
        self.handler = nil
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        let wasConnected = machine.isConnected
        // The broker ended it: no error of ours, or only a reset or EOF.
        var byBroker = closeReason == nil
        if case .connectionLost = closeReason { byBroker = true }
        perform(machine.connectionClosed(byBroker: byBroker))
        if wasConnected { linkHandler?(false) }
        let now = eventLoop.now
        lastOutcome = ConnectionOutcome(connectedFor: connectedAt.map { now - $0 })
        let stopping = machine.isStopped && closeReason == nil
        if connectedAt != nil {
            let reason = closeReason ?? (stopping ? nil : .connectionLost(detail: "closed by the broker"))
            if let reason {
                logger.warning("uplink connection lost", metadata: ["error": "\(reason)"])
            }
            statusBoard.update {
                $0.isConnected = false
                if let reason { $0.lastError = reason.description }
            }
        } else if !stopping {
            let reason = closeReason ?? .connectionLost(detail: "closed before CONNACK")
            attemptFailed(reason)
        }
        connectedAt = nil
        closeReason = nil
    }
}
