import MQTTCodec
import NIOCore
import PerchCore

extension UplinkStateMachine {
    /// A caller wants `packet` sent. It joins the FIFO and goes out as soon as
    /// the connection and the window allow, in the order of the calls.
    mutating func publish(_ packet: PublishPacket, encodedSize: Int, request: Completion?, now: NIODeadline) -> [UplinkAction] {
        guard !isStopped else {
            return request.map { [.complete($0, .failed(.shuttingDown))] } ?? []
        }
        pending.append(QueuedPublish(request: request, packet: packet, encodedSize: encodedSize))
        let actions = drain()
        noteSent(actions, now: now)
        // Not sent at once, so it waits (link down, window full): its payload must
        // not keep alive the read buffer it was sliced from. Drain takes from the
        // front, so if it is still queued it is the last element.
        if !pending.isEmpty {
            let last = pending.index(before: pending.endIndex)
            pending[last].packet.payload = pending[last].packet.payload.detachedFromReadBuffer()
        }
        return actions
    }

    /// Moves messages from the FIFO onto the connection while the window has
    /// room. QoS 0 messages take no slot but still wait their turn, so that
    /// messages leave in exactly the order they were published.
    mutating func drain() -> [UplinkAction] {
        guard case .connected(let link) = phase else { return [] }
        var actions: [UplinkAction] = resendNextProbe()
        while var front = pending.first {
            if let error = refusal(of: front, on: link) {
                pending.removeFirst()
                actions.append(front.request.map { .complete($0, .failed(error)) } ?? .warn(error.description))
                continue
            }
            // [MQTT-3.2.2-11]: never above the broker's Maximum QoS (AWS IoT
            // Core, for one, takes QoS 1 at most); the caller is still told when
            // the broker owns the message.
            front.packet.qos = min(front.packet.qos, link.maximumQoS)
            // [MQTT-3.2.2-14]: no RETAIN when the broker has none. The message
            // still goes, without it (`message_retain` in `uplink.degraded`):
            // dropping it would lose what a sensor was told is safe.
            front.packet.retain = front.packet.retain && link.isRetainAvailable
            if isProbing {
                // One message at a time, QoS 0 included, until the suspects are through.
                guard probesOutstanding == 0 else { break }
            }
            if front.packet.qos == .atMostOnce {
                pending.removeFirst()
                actions.append(.send(.publish(front.packet), completing: front.request))
                continue
            }
            // MQTT 5.0 §4.9: no more than Receive Maximum unacknowledged QoS 1/2 PUBLISHes.
            guard inFlight.count < link.window else { break }
            // 3.1.1 cannot announce how many QoS 2 messages the broker holds
            // between PUBLISH and PUBREL. Past its limit (Mosquitto's
            // max_inflight_messages, 20 by default) Mosquitto answers as usual
            // and never delivers the message — a QoS 1 one arriving while the
            // quota is taken too (measured). So nothing at QoS 1/2 follows a
            // QoS 2 PUBLISH until its PUBREC: the next goes behind its PUBREL.
            if settings.version == .v3_1_1, hasQoS2AwaitingPubRec { break }
            guard let packetID = packetIDs.allocate() else { break }
            pending.removeFirst()
            var packet = front.packet
            packet.packetID = packetID
            packet.dup = false
            inFlight[packetID] = InFlightPublish(
                packetID: packetID,
                packet: packet,
                encodedSize: front.encodedSize,
                request: front.request,
                stage: .awaitingAcknowledgement,
                sequence: takeSequence(),
                strikes: front.strikes
            )
            actions.append(.send(.publish(packet)))
        }
        return actions
    }

    /// A QoS 2 PUBLISH was sent and its PUBREC has not come.
    private var hasQoS2AwaitingPubRec: Bool {
        inFlight.values.contains { $0.packet.qos == .exactlyOnce && $0.stage == .awaitingAcknowledgement }
    }

    /// Why the broker of `link` cannot take `publish`, if it cannot.
    private func refusal(of publish: QueuedPublish, on link: Link) -> UplinkError? {
        if let maximum = link.maximumPacketSize, publish.encodedSize > maximum {
            return .packetTooLarge(topic: publish.packet.topic, size: publish.encodedSize, maximum: maximum)
        }
        return nil
    }

    /// Session present: every unacknowledged PUBLISH goes again with DUP=1 and
    /// its original id, and every PUBREL again for messages past PUBREC, in the
    /// original order (MQTT 5.0 §4.4 [MQTT-4.4.0-1], 3.1.1 §4.4).
    mutating func resendInFlight() -> [UplinkAction] {
        var actions: [UplinkAction] = []
        for entry in inFlight.values.sorted(by: { $0.sequence < $1.sequence }) {
            switch entry.stage {
            case .awaitingAcknowledgement:
                // Probing: one at a time (`resendNextProbe`, from `drain`).
                guard !isProbing else { continue }
                inFlight[entry.packetID]?.isSentOnThisConnection = true
                var packet = entry.packet
                packet.dup = true
                inFlight[entry.packetID]?.packet = packet
                actions.append(.send(.publish(packet)))
            case .awaitingCompletion:
                actions.append(.send(.pubrel(PublishAckPacket(packetID: entry.packetID))))
            }
        }
        return actions
    }

    /// No session on the broker: unacknowledged messages are sent again as new
    /// messages ahead of the FIFO (at least once: never lost). QoS 2 messages
    /// past PUBREC were already owned by the broker, so they are done.
    mutating func requeueInFlightAsNew() {
        let unacknowledged = inFlight.values
            .filter { $0.stage == .awaitingAcknowledgement }
            .sorted { $0.sequence < $1.sequence }
        for packetID in inFlight.keys {
            packetIDs.release(packetID)
        }
        inFlight.removeAll()
        for entry in unacknowledged.reversed() {
            var packet = entry.packet
            packet.packetID = nil
            packet.dup = false
            pending.prepend(QueuedPublish(
                request: entry.request, packet: packet, encodedSize: entry.encodedSize,
                strikes: entry.strikes, isSuspect: isProbing
            ))
        }
    }

    // MARK: Acknowledgements of our PUBLISHes

    mutating func pubAckReceived(_ ack: PublishAckPacket) -> [UplinkAction] {
        guard let entry = inFlight[ack.packetID], entry.packet.qos == .atLeastOnce else {
            return [.warn("PUBACK for packet id \(ack.packetID), which awaits no PUBACK: ignored")]
        }
        return finish(entry, code: ack.reasonCode) + drain()
    }

    mutating func pubRecReceived(_ ack: PublishAckPacket) -> [UplinkAction] {
        guard let entry = inFlight[ack.packetID], entry.packet.qos == .exactlyOnce else {
            // 5.0 §4.3.3: answer with PUBREL anyway so the broker can finish.
            let code: MQTTReasonCode = settings.version == .v5 ? .packetIdentifierNotFound : .success
            return [.send(.pubrel(PublishAckPacket(packetID: ack.packetID, reasonCode: code)))]
        }
        // 5.0 §4.3.3: a PUBREC with a failure code ends the exchange.
        guard ack.reasonCode.isSuccess else {
            return finish(entry, code: ack.reasonCode) + drain()
        }
        var actions: [UplinkAction] = []
        if entry.stage == .awaitingAcknowledgement, let request = entry.request {
            // The broker owns the message from now on (UpstreamPublishing contract).
            actions.append(.complete(request, .published))
        }
        inFlight[ack.packetID]?.stage = .awaitingCompletion
        inFlight[ack.packetID]?.request = nil
        actions.append(.send(.pubrel(PublishAckPacket(packetID: ack.packetID))))
        // A probe past PUBREC is through: the next one may go; on 3.1.1 so may
        // the next QoS 2 message, behind this PUBREL.
        endProbingIfDone()
        return actions + (isProbing || settings.version == .v3_1_1 ? drain() : [])
    }

    mutating func pubCompReceived(_ ack: PublishAckPacket) -> [UplinkAction] {
        guard let entry = inFlight[ack.packetID], entry.stage == .awaitingCompletion else {
            return [.warn("PUBCOMP for packet id \(ack.packetID), which awaits no PUBCOMP: ignored")]
        }
        return finish(entry, code: .success) + drain()
    }

    /// Closes an outbound exchange: frees the id and the window slot, tells the caller.
    private mutating func finish(_ entry: InFlightPublish, code: MQTTReasonCode) -> [UplinkAction] {
        inFlight.removeValue(forKey: entry.packetID)
        packetIDs.release(entry.packetID)
        endProbingIfDone()
        guard let request = entry.request else { return [] }
        let outcome: RequestOutcome = code.isSuccess
            ? .published
            : .failed(.publishRefused(topic: entry.packet.topic, code: code))
        return [.complete(request, outcome)]
    }
}

extension UplinkStateMachine {
    /// The caller of `request` gave up (its task was cancelled). A message
    /// still in the FIFO is dropped, never sent; one already sent stays in
    /// flight (the broker may have it) and only loses its caller. Returns true
    /// when the message was dropped.
    mutating func cancelPublish(_ request: RequestID) -> Bool {
        let completion = Completion.request(request)
        if let index = pending.firstIndex(where: { $0.request == completion }) {
            pending.remove(at: index)
            return true
        }
        if let entry = inFlight.values.first(where: { $0.request == completion }) {
            inFlight[entry.packetID]?.request = nil
        }
        return false
    }
}
