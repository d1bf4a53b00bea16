import MQTTSNCodec

/// Dispatch of a received datagram by message type and the client's state.
extension MQTTSNGateway {
    /// One decoded datagram from `peer`. An encapsulated message is unwrapped by the
    /// shell, whose `Peer` then names the forwarder and the wireless node.
    ///
    /// The per-PUBLISH path (QoS 0 from an active client) is two dictionary lookups,
    /// the `Message` and one appended action; nothing is logged above trace.
    public mutating func receive(_ packet: MQTTSNPacket, from peer: Peer, now: Instant, actions: inout [MQTTSNGatewayAction<Peer>]) {
        statistics.received &+= 1
        let known = indexByPeer[peer]
        if let known {
            // O(1): the timer heap notices later that the client was heard (lazy re-check).
            sessions[known].lastHeard = now
        }
        switch packet {
        case .searchGateway:
            searchGateway(from: peer, &actions)
            return
        case .connect(let connect):
            self.connect(connect, from: peer, now: now, &actions)
            return
        case .publish(let publish) where publish.qos == .minusOne:
            publishWithoutConnection(publish, from: peer, now: now, &actions)
            return
        case .pingRequest(let clientID?):
            wake(clientID, from: peer, now: now, &actions)
            return
        case .advertise, .gatewayInfo:
            // Another gateway's ADVERTISE, or a client answering a SEARCHGW for
            // this one (§6.1): nothing for this gateway to do.
            return
        default:
            break
        }
        guard let index = known else {
            // SPEC §3: an address Perch cannot map to a client gets DISCONNECT.
            rejectInvalid(packet, from: peer)
            send(.disconnect(durationSeconds: nil), to: peer, &actions)
            if let tail = refusalLine(about: peer, now: now) {
                logger.debug("MQTT-SN: \(MQTTSNTopicText.name(packet.messageType)) from \(peer), which has no session: answered DISCONNECT (SPEC §3)\(tail)")
            }
            return
        }
        if sessions[index].state == .connecting {
            receiveWhileConnecting(packet, at: index, now: now, &actions)
        } else {
            receiveConnected(packet, at: index, now: now, &actions)
        }
    }

    /// During will prompting only WILLTOPIC and WILLMSG mean anything (§6.2).
    private mutating func receiveWhileConnecting(_ packet: MQTTSNPacket, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        switch packet {
        case .willTopic(let topic): willTopic(topic, at: index, now: now, &actions)
        case .willMessage(let payload): willMessage(payload, at: index, now: now, &actions)
        default: rejectInvalid(packet, from: sessions[index].peer)
        }
    }

    /// A packet from an active, asleep or awake client. A sleeping client that
    /// sends something other than PINGREQ, CONNECT or DISCONNECT is served all the
    /// same (it is evidently awake), without changing its state.
    private mutating func receiveConnected(_ packet: MQTTSNPacket, at index: Int, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        switch packet {
        case .publish(let publish): self.publish(publish, at: index, now: now, &actions)
        case .register(let register): self.register(register, at: index, now: now, &actions)
        case .regAck(let ack): registerAcknowledged(ack, at: index, now: now, &actions)
        case .pubAck(let ack): publishAcknowledged(ack, at: index, now: now, &actions)
        case .pubRec(let messageID): publishReceived(messageID, at: index, now: now, &actions)
        case .pubRel(let messageID): release(messageID, at: index, &actions)
        case .pubComp(let messageID): publishCompleted(messageID, at: index, now: now, &actions)
        case .subscribe(let subscribe): self.subscribe(subscribe, at: index, now: now, &actions)
        case .unsubscribe(let unsubscribe): self.unsubscribe(unsubscribe, at: index, &actions)
        case .pingRequest: ping(at: index, now: now, &actions)
        case .disconnect(let duration): disconnect(duration, at: index, now: now, &actions)
        case .willTopicUpdate(let topic): updateWillTopic(topic, at: index, now: now, &actions)
        case .willMessageUpdate(let payload): updateWillMessage(Array(payload.readableBytesView), at: index, now: now, &actions)
        case .willTopic, .willMessage:
            // §6.2: only during will prompting.
            rejectInvalid(packet, from: sessions[index].peer)
        case .connAck, .willTopicRequest, .willMessageRequest, .subAck, .unsubAck, .pingResponse,
            .willTopicResponse, .willMessageResponse, .encapsulated, .advertise, .gatewayInfo,
            .searchGateway, .connect:
            // Gateway-to-client messages, or an encapsulation the shell should have unwrapped.
            rejectInvalid(packet, from: sessions[index].peer)
        }
    }
}
