import MQTTCodec
import NIOCore

/// How a session ends: DISCONNECT, loss, or a connection attempt given up.
extension MQTTSNGateway {
    /// Why a session is being closed.
    enum Closing {
        /// DISCONNECT without a duration (§6.12): no will, presence `offline`.
        case disconnected
        /// Keep-alive or sleep timer expired, or retransmissions exhausted
        /// (§6.11, §6.13, §6.14): the will is published, presence `lost`.
        case lost
        /// A CONNECT whose will prompting failed or was refused: nothing is
        /// published, since the client never was online.
        case abandoned
    }

    /// Ends the session at `index`. A clean-session client's session is removed
    /// (its subscriptions leave the table, its record is forgotten); a
    /// clean-session-off client keeps registrations, subscriptions and, unless it
    /// was published, its will (§6.3), and its record is stored.
    ///
    /// Invalidates every session index: callers look sessions up again afterwards.
    mutating func close(_ index: Int, _ closing: Closing, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let clientID = sessions[index].clientID
        switch closing {
        case .disconnected:
            publishPresence(clientID, "offline", &actions)
        case .lost:
            statistics.lost &+= 1
            logger.debug("MQTT-SN: client \(clientID) lost")
            if let will = sessions[index].will {
                publishWill(will, mountpoint: sessions[index].mountpoint, &actions)
                // MQTT 3.1.1 §3.1.2.5: a published will is deleted from the session.
                sessions[index].will = nil
            }
            publishPresence(clientID, "lost", &actions)
        case .abandoned:
            break
        }
        // Downlink not yet delivered is not delivered (SPEC §3); a pending id the
        // client never acknowledged is withdrawn so it can be registered again.
        if let inFlight = sessions[index].inFlight, case .register(let topicID, _) = inFlight.stage {
            sessions[index].registry.withdraw(id: topicID)
        }
        sessions[index].inFlight = nil
        sessions[index].queue.removeAll()
        sessions[index].awaitingUpstream.removeAll()
        sessions[index].willPrompt = nil
        sessions[index].retryDeadline = nil
        // A connection attempt given up with nothing to keep leaves no session behind,
        // whatever its clean-session flag: it would only hold a `max_clients`-free slot
        // and a record for a client that never was online.
        let hasNothingToKeep = closing == .abandoned && sessions[index].subscriptions.isEmpty
            && sessions[index].registry.count == 0 && sessions[index].will == nil
        if sessions[index].cleanSession || hasNothingToKeep {
            for change in subscriptions.removeAll(for: clientID) { actions.append(change.action()) }
            actions.append(.forget(clientID: clientID))
            remove(index)
        } else {
            setState(index, closing == .lost ? .lost : .disconnected)
            store(index, &actions)
        }
    }

    /// Publishes a lost client's will through the mountpoint (SPEC §3: the
    /// aggregating gateway publishes it itself).
    mutating func publishWill(_ will: MQTTSNWill, mountpoint: Mountpoint, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        let message = Message(
            topic: mountpoint.upstreamTopic(for: will.topic),
            payload: ByteBuffer(bytes: will.payload),
            qos: MQTTQoS(rawValue: min(will.qos, 2)) ?? .atMostOnce,
            retain: will.retain)
        actions.append(.publish(message, receipt: nil))
    }
}

extension UpstreamSubscriptionChange {
    /// The gateway action that carries this change out.
    func action<Peer>() -> MQTTSNGatewayAction<Peer> {
        switch self {
        case .subscribe(let filter, let qos): return .subscribe(filter, qos: qos)
        case .unsubscribe(let filter): return .unsubscribe(filter)
        }
    }
}
