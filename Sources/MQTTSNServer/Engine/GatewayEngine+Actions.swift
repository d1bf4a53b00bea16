import Logging
import MQTTSNCodec
import NIOCore
import PerchCore

extension GatewayEngine {
    /// Carries out the actions the last event produced, in order, and empties the
    /// buffer (keeping its capacity).
    func carryOutActions() {
        isCarryingOut = true
        defer {
            actions.removeAll(keepingCapacity: true)
            isCarryingOut = false
        }
        for action in actions {
            switch action {
            case let .send(packet, to: peer):
                send(packet, to: peer)
            case let .broadcast(packet):
                broadcast(packet)
            case let .publish(message, receipt):
                publish(message, receipt: receipt)
            case let .subscribe(filter, qos):
                subscriptions.enqueue(.subscribe(filter.value, qos: qos))
            case let .unsubscribe(filter):
                subscriptions.enqueue(.unsubscribe(filter.value))
            case let .store(record):
                records?.store(record)
            case let .forget(clientID):
                records?.forget(clientID)
            }
        }
    }

    private func send(_ packet: MQTTSNPacket, to peer: MQTTSNPeer) {
        // MQTT-SN v1.2 §5.5: a client behind a forwarder is answered through it.
        let datagram: MQTTSNPacket
        if let node = peer.wirelessNodeID {
            datagram = .encapsulated(MQTTSNEncapsulation(wirelessNodeID: node, message: packet))
        } else {
            datagram = packet
        }
        write(datagram, to: peer.address)
    }

    private func broadcast(_ packet: MQTTSNPacket) {
        guard let advertiseAddress else {
            logger.debug("no advertise address configured; ADVERTISE not sent")
            return
        }
        write(packet, to: advertiseAddress)
    }

    /// Encodes into a buffer from the channel's allocator and writes it; the flush
    /// comes once per batch of events.
    private func write(_ packet: MQTTSNPacket, to address: SocketAddress) {
        guard let index = listenerIndex(for: address) else {
            logger.debug("no listener of this address family; datagram not sent", metadata: ["to": "\(MQTTSNPeer(address: address))"])
            return
        }
        let channel = listeners[index].channel
        do {
            var buffer = channel.allocator.buffer(capacity: try packet.encodedLength())
            try packet.encode(into: &buffer)
            channel.write(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
            listeners[index].needsFlush = true
        } catch {
            logger.warning("could not encode an MQTT-SN message", metadata: ["type": "\(packet.messageType)", "error": "\(error)"])
        }
    }

    private func listenerIndex(for address: SocketAddress) -> Int? {
        if hasSeveralListenersPerFamily, let index = replyListener[address] { return index }
        let isIPv6 = address.protocol == .inet6
        return listeners.firstIndex { $0.isIPv6 == isIPv6 }
    }

    private func publish(_ message: Message, receipt: UpstreamReceipt?) {
        guard let receipt else {
            upstream.send(message)
            return
        }
        let result = upstream.enqueue(message)
        // The topic only: capturing the message would keep its payload, and with it
        // the 64 KiB read buffer it was sliced from, alive until the broker answers.
        let topic = message.topic
        result.hop(to: eventLoop).assumeIsolated().whenComplete { outcome in
            switch outcome {
            case .success:
                self.publishCompleted(receipt, returnCode: .accepted)
            case let .failure(error as MessageRefusal):
                // For good (too large for the broker, refused by it): "not
                // supported" (§5.3.10), so the client does not send it again.
                self.logger.notice("upstream refused a publish for good", metadata: ["topic": "\(topic)", "error": "\(error)"])
                self.publishCompleted(receipt, returnCode: .rejectedNotSupported)
            case let .failure(error):
                self.logger.debug("upstream publish not accepted", metadata: ["topic": "\(topic)", "error": "\(error)"])
                self.publishCompleted(receipt, returnCode: .rejectedCongestion)
            }
        }
    }
}
