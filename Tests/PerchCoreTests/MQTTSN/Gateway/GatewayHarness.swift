import Logging
import MQTTCodec
import MQTTSNCodec
import NIOCore
import PerchCore
import PerchTestKit

/// Drives an ``MQTTSNGateway`` by hand: feeds packets with a manual instant and
/// returns the actions each event produced. Peers are plain strings ("a", "b").
struct GatewayHarness {
    typealias Instant = ManualClock.Instant
    typealias Action = MQTTSNGatewayAction<String>

    var gateway: MQTTSNGateway<String, Instant>
    var now = Instant(offset: .zero)
    private var buffer: [Action] = []

    init(_ configuration: MQTTSNGatewayConfiguration = MQTTSNGatewayConfiguration(), logger: Logger = Logger(label: "test.mqttsn")) {
        gateway = MQTTSNGateway(configuration: configuration, logger: logger)
    }

    /// A configuration with predefined topics 1 = sensors/temperature, 2 = cmd/led.
    static func configuration(
        maxClients: Int = 1000, allowedClients: Set<String> = [], sleepingBuffer: Int = 100,
        retryCount: Int = 2, mountpoint: String = "site/", presence: String? = "perch/gw/status/clients/",
        advertise: Duration? = nil
    ) throws -> MQTTSNGatewayConfiguration {
        MQTTSNGatewayConfiguration(
            gatewayID: 7,
            predefinedTopics: try PredefinedTopics([1: "sensors/temperature", 2: "cmd/led"]),
            allowedClients: allowedClients, maxClients: maxClients, sleepingBuffer: sleepingBuffer,
            retryInterval: .seconds(10), retryCount: retryCount,
            mountpoint: try Mountpoint(mountpoint), presenceTopicPrefix: presence, advertiseInterval: advertise)
    }

    @discardableResult
    mutating func start() -> [Action] {
        buffer.removeAll(keepingCapacity: true)
        gateway.start(now: now, actions: &buffer)
        return buffer
    }

    @discardableResult
    mutating func reconfigure(_ configuration: MQTTSNGatewayConfiguration) -> (changed: [MQTTSNGateway<String, Instant>.LiveSetting], actions: [Action]) {
        buffer.removeAll(keepingCapacity: true)
        let changed = gateway.reconfigure(configuration, now: now, actions: &buffer)
        return (changed, buffer)
    }

    @discardableResult
    mutating func receive(_ packet: MQTTSNPacket, from peer: String) -> [Action] {
        buffer.removeAll(keepingCapacity: true)
        gateway.receive(packet, from: peer, now: now, actions: &buffer)
        return buffer
    }

    @discardableResult
    mutating func downlink(_ topic: String, _ text: String, qos: MQTTQoS = .atMostOnce, retain: Bool = false) -> [Action] {
        buffer.removeAll(keepingCapacity: true)
        gateway.downlink(Message(topic: topic, text: text, qos: qos, retain: retain), now: now, actions: &buffer)
        return buffer
    }

    @discardableResult
    mutating func complete(_ receipt: UpstreamReceipt, accepted: Bool = true) -> [Action] {
        buffer.removeAll(keepingCapacity: true)
        gateway.upstreamPublishCompleted(receipt, accepted: accepted, now: now, actions: &buffer)
        return buffer
    }

    /// The broker's answer to the upstream SUBSCRIBE of `filter`.
    @discardableResult
    mutating func settle(_ filter: String, accepted: Bool = true) -> [Action] {
        var actions: [Action] = []
        gateway.upstreamSubscriptionSettled(filter, accepted: accepted, now: now, actions: &actions)
        return actions
    }

    /// A SUBSCRIBE the broker grants at once: received, then every upstream
    /// SUBSCRIBE it caused settled. Returns everything sent meanwhile.
    @discardableResult
    mutating func subscribed(_ subscribe: MQTTSNSubscribe, from peer: String) -> [Action] {
        var actions = receive(.subscribe(subscribe), from: peer)
        let filters = actions.compactMap { action -> String? in
            if case .subscribe(let filter, _) = action { return filter.value }
            return nil
        }
        for filter in filters { actions += settle(filter) }
        return actions
    }

    @discardableResult
    mutating func restore(_ records: [MQTTSNClientRecord<String>]) -> [Action] {
        buffer.removeAll(keepingCapacity: true)
        gateway.restore(records, now: now, actions: &buffer)
        return buffer
    }

    /// Moves time on by `duration`, firing timers as a shell would: at each
    /// deadline on the way, in order (bounded, so a runaway timer fails the test).
    @discardableResult
    mutating func advance(by duration: Duration) -> [Action] {
        let target = now.advanced(by: duration)
        var all: [Action] = []
        var rounds = 0
        while let deadline = gateway.nextDeadline, deadline <= target, rounds < 10_000 {
            rounds += 1
            now = max(now, deadline)
            buffer.removeAll(keepingCapacity: true)
            gateway.expireTimers(now: now, actions: &buffer)
            all += buffer
        }
        now = target
        return all
    }

    /// CONNECT without will; returns the actions.
    @discardableResult
    mutating func connect(
        _ clientID: String, from peer: String, duration: UInt16 = 60, cleanSession: Bool = true
    ) -> [Action] {
        receive(.connect(MQTTSNConnect(cleanSession: cleanSession, durationSeconds: duration, clientID: clientID)), from: peer)
    }

    /// REGISTER `name` and return the id of the accepting REGACK (0 when refused).
    mutating func register(_ name: String, from peer: String, messageID: UInt16 = 1) -> UInt16 {
        let actions = receive(.register(MQTTSNRegister(topicID: 0, messageID: messageID, topicName: name)), from: peer)
        for case .send(.regAck(let ack), _) in actions where ack.returnCode.isAccepted { return ack.topicID }
        return 0
    }
}

extension Array where Element == MQTTSNGatewayAction<String> {
    /// The packets sent, in order, with their peers.
    var sent: [(packet: MQTTSNPacket, peer: String)] {
        compactMap { if case .send(let packet, let peer) = $0 { return (packet, peer) } else { return nil } }
    }
    /// The packets sent to `peer`.
    func sent(to peer: String) -> [MQTTSNPacket] {
        sent.filter { $0.peer == peer }.map(\.packet)
    }
    /// The upstream publishes, with their receipts.
    var published: [(message: Message, receipt: UpstreamReceipt?)] {
        compactMap { if case .publish(let message, let receipt) = $0 { return (message, receipt) } else { return nil } }
    }
    /// The topics and text payloads published upstream.
    var publishedTexts: [String] {
        published.map { "\($0.message.topic)=\(String(buffer: $0.message.payload))" }
    }
    /// Upstream subscription changes, as "+filter@qos" and "-filter".
    var subscriptionChanges: [String] {
        compactMap {
            switch $0 {
            case .subscribe(let filter, let qos): return "+\(filter.value)@\(qos.rawValue)"
            case .unsubscribe(let filter): return "-\(filter.value)"
            default: return nil
            }
        }
    }
    /// The records stored.
    var stored: [MQTTSNClientRecord<String>] {
        compactMap { if case .store(let record) = $0 { return record } else { return nil } }
    }
    /// The client ids forgotten.
    var forgotten: [String] {
        compactMap { if case .forget(let clientID) = $0 { return clientID } else { return nil } }
    }
}

/// A PUBLISH with a text payload.
func publishPacket(
    _ topic: MQTTSNTopic, _ text: String, qos: MQTTSNQoS = .atMostOnce, messageID: UInt16 = 0,
    dup: Bool = false, retain: Bool = false
) -> MQTTSNPacket {
    .publish(MQTTSNPublish(dup: dup, qos: qos, retain: retain, topic: topic, messageID: messageID, payload: ByteBuffer(string: text)))
}
