import MQTTCodec

/// A PUBLISH waiting in the FIFO for a connection or a free window slot.
struct QueuedPublish: Sendable, Equatable {
    /// Who is told how it ended, if anyone.
    var request: Completion?
    /// The packet without a packet identifier; one is given when it goes out.
    var packet: PublishPacket
    /// The encoded size, to compare with the broker's Maximum Packet Size.
    var encodedSize: Int
    /// Connections the broker closed while this message was the only one in
    /// flight (see `UplinkStateMachine.connectionClosed`).
    var strikes = 0
    /// It was in flight when a connection was lost: it goes out alone until
    /// acknowledged, so that a message the broker closes the link over is
    /// told apart from the ones sent with it.
    var isSuspect = false
}

/// A QoS 1 or 2 PUBLISH that was sent and is not yet fully acknowledged.
struct InFlightPublish: Sendable, Equatable {
    /// Where the exchange stands (MQTT 5.0 §4.3.2, §4.3.3).
    enum Stage: Sendable, Equatable {
        /// Sent; waiting for PUBACK (QoS 1) or PUBREC (QoS 2).
        case awaitingAcknowledgement
        /// QoS 2 only: PUBREC arrived, PUBREL sent, waiting for PUBCOMP.
        case awaitingCompletion
    }

    var packetID: UInt16
    var packet: PublishPacket
    var encodedSize: Int
    /// The caller still waiting, or `nil` once it was told (QoS 2 after PUBREC).
    var request: Completion?
    var stage: Stage
    /// Send order, so that retransmission after a reconnect keeps it.
    var sequence: UInt64
    /// Connections the broker closed while this message was the only one in flight.
    var strikes = 0
    /// Written on the current connection. False between a reconnect with a
    /// session and its retransmission, which goes one message at a time
    /// while the uplink probes for a poison message.
    var isSentOnThisConnection = true
}
