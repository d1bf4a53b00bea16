import MQTTCodec
import NIOCore

extension UplinkStateMachine {
    /// A packet arrived from the broker.
    mutating func received(_ packet: MQTTPacket, now: NIODeadline) -> [UplinkAction] {
        switch phase {
        case .awaitingConnAck:
            // MQTT 5.0 §3.2: the first packet from the server is CONNACK.
            guard case .connack(let connAck) = packet else {
                return close(because: .protocolViolation("expected CONNACK, received \(packet.type)"))
            }
            return connAckReceived(connAck, now: now)
        case .connected:
            updateLink { $0.keepAlive.didReceive(at: now) }
        case .disconnected, .closing, .stopped:
            return []
        }

        let actions: [UplinkAction]
        switch packet {
        case .publish(let publish):
            actions = publishReceived(publish)
        case .puback(let ack):
            actions = pubAckReceived(ack)
        case .pubrec(let ack):
            actions = pubRecReceived(ack)
        case .pubrel(let ack):
            actions = pubRelReceived(ack)
        case .pubcomp(let ack):
            actions = pubCompReceived(ack)
        case .suback(let ack):
            actions = subAckReceived(ack)
        case .unsuback(let ack):
            actions = unsubAckReceived(ack)
        case .pingresp:
            actions = []
        case .disconnect(let disconnect):
            actions = close(because: .disconnectedByBroker(code: disconnect.reasonCode, reason: disconnect.properties.reasonString))
        case .connack, .connect, .subscribe, .unsubscribe, .pingreq:
            actions = protocolViolation("a client does not expect \(packet.type) from the server")
        }
        let all = actions + disconnectIfDrained()
        noteSent(all, now: now)
        return all
    }

    /// CONNACK: accepted or refused; on acceptance the session is resumed or rebuilt.
    private mutating func connAckReceived(_ connAck: ConnAckPacket, now: NIODeadline) -> [UplinkAction] {
        // 3.1.1 §3.2.2.3: only return code 0 accepts; 5.0 §3.2.2.2: codes ≥ 0x80 refuse.
        // 5.0 §3.2.2.2: a CONNACK is 0x00 or a refusal ≥ 0x80; 0x01–0x05
        // below it are 3.1.1 return codes (§3.2.2.3) from a broker that
        // answered in its own layout.
        let isVersion311Answer = settings.version == .v5 && (0x01...0x05).contains(connAck.reasonCode.rawValue)
        let accepted = settings.version == .v3_1_1 || isVersion311Answer
            ? connAck.reasonCode.rawValue == 0 : connAck.reasonCode.isSuccess
        guard accepted else {
            return connectionRefused(connAck.reasonCode)
        }
        let properties = connAck.properties
        let receiveMaximum = properties.receiveMaximum.map(Int.init) ?? Int(UInt16.max)
        let window = max(1, min(settings.inFlightWindow, receiveMaximum))
        // 5.0 §3.2.2.3.14: the Server Keep Alive replaces the one we asked for.
        let keepAliveSeconds = properties.serverKeepAlive ?? settings.connect.keepAliveSeconds
        let keepAlive = KeepAlive(interval: .seconds(Int64(keepAliveSeconds)), now: now)
        // 5.0 §3.2.2.3.6: absent means no limit beyond the protocol's.
        brokerMaximumPacketSize = properties.maximumPacketSize.flatMap { Int(exactly: $0) }
        var link = Link(window: window, maximumPacketSize: knownMaximumPacketSize, keepAlive: keepAlive)
        if settings.version == .v5 {
            link.maximumQoS = properties.maximumQoS.flatMap(MQTTQoS.init(rawValue:)) ?? .exactlyOnce
            link.isRetainAvailable = properties.retainAvailable != 0
        } else {
            // 3.1.1 cannot say: what the accepted will gave up is what the broker refuses.
            limits.acceptedWithoutProperties()
            link.maximumQoS = limits.inferredMaximumQoS
            link.isRetainAvailable = limits.inferredRetainAvailable
        }
        phase = .connected(link)

        // 5.0 §3.2.2.3.7: an empty client id got one from the broker; keep it so
        // that the next connection finds the same session.
        if settings.connect.clientID.isEmpty, let assigned = properties.assignedClientIdentifier {
            settings.connect.clientID = assigned
        }

        // [MQTT-3.2.2-4]: with Clean Start the server has no session, whatever it says.
        let sessionPresent = !settings.connect.cleanStart && connAck.sessionPresent
        var actions: [UplinkAction] = [.connected(sessionPresent: sessionPresent)]
        if sessionPresent {
            actions += resendInFlight()
        } else {
            requeueInFlightAsNew()
            awaitingRelease.removeAll()
            restoreSubscriptions()
        }
        actions += drainControl()
        actions += drain()
        noteSent(actions, now: now)
        return actions
    }

    /// CONNACK refused the connection. A will the broker cannot take (5.0
    /// §3.2.2.2: 0x9A, 0x9B) is adjusted for the next attempt; a refusal that
    /// says the broker does not speak MQTT 5 is named as such.
    private mutating func connectionRefused(_ code: MQTTReasonCode) -> [UplinkAction] {
        let refusal = UplinkError.connectionRefused(code: code, version: settings.version)
        guard settings.version == .v5 else { return close(because: refusal) }
        switch code {
        case .retainNotSupported where limits.retainRefused(), .qosNotSupported where limits.qosRefused():
            return [.warn("\(refusal); trying again with a \(Self.describe(limits.will))")] + close(because: refusal)
        case .unsupportedProtocolVersion:
            return close(because: .protocolMismatch(detail: refusal.description))
        default:
            if (0x01...0x05).contains(code.rawValue) {
                return close(because: .protocolMismatch(detail: "the broker answered CONNECT with an MQTT 3.1.1 CONNACK (return code \(code.rawValue))"))
            }
            return close(because: refusal)
        }
    }

    // MARK: Inbound PUBLISH (MQTT 5.0 §4.3)

    private mutating func publishReceived(_ publish: PublishPacket) -> [UplinkAction] {
        // We announce no Topic Alias Maximum, so 0 applies: any alias is a
        // protocol error answered with 0x94 (MQTT 5.0 §3.3.2.3.4, [MQTT-3.3.2-9]).
        if publish.properties.topicAlias != nil {
            return protocolViolation(
                "PUBLISH with a topic alias although the client allows none (MQTT 5.0 §3.3.2.3.4)",
                code: .topicAliasInvalid
            )
        }
        guard !publish.topic.isEmpty else {
            return protocolViolation("PUBLISH without a topic name", code: .topicNameInvalid)
        }
        let message = publish.message
        switch publish.qos {
        case .atMostOnce:
            return [.deliver(message)]
        case .atLeastOnce:
            guard let packetID = publish.packetID else {
                return protocolViolation("QoS 1 PUBLISH without a packet identifier", code: .malformedPacket)
            }
            return [.deliver(message), .send(.puback(PublishAckPacket(packetID: packetID)))]
        case .exactlyOnce:
            guard let packetID = publish.packetID else {
                return protocolViolation("QoS 2 PUBLISH without a packet identifier", code: .malformedPacket)
            }
            // Method B of MQTT 5.0 §4.3.3: deliver on first receipt, remember the
            // id until PUBREL so that a re-sent PUBLISH is not delivered twice.
            let isDuplicate = !awaitingRelease.insert(packetID).inserted
            let pubrec = UplinkAction.send(.pubrec(PublishAckPacket(packetID: packetID)))
            return isDuplicate ? [pubrec] : [.deliver(message), pubrec]
        }
    }

    private mutating func pubRelReceived(_ ack: PublishAckPacket) -> [UplinkAction] {
        let wasKnown = awaitingRelease.remove(ack.packetID) != nil
        // 5.0 §3.7.2.1: PUBCOMP says whether the id was known.
        let code: MQTTReasonCode = wasKnown || settings.version == .v3_1_1 ? .success : .packetIdentifierNotFound
        return [.send(.pubcomp(PublishAckPacket(packetID: ack.packetID, reasonCode: code)))]
    }
}
