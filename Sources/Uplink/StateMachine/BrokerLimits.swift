import MQTTCodec

/// What the broker was found to refuse, and the Last Will the uplink can
/// deliver within it. Learned at connect and kept across reconnects, so that a
/// broker with `max_qos 0` or without retained messages costs one or two
/// refused attempts, not a connection that fails forever (SPEC §5).
///
/// MQTT 5 says what it refuses: CONNACK 0x9A "Retain not supported" or 0x9B
/// "QoS not supported" for the will (§3.2.2.2), and Maximum QoS and Retain
/// Available properties on acceptance (§3.2.2.3.4, §3.2.2.3.5). MQTT 3.1.1 has
/// no such words: a broker that cannot take the will closes the connection
/// before CONNACK (Mosquitto does, with `max_qos` or `retain_available false`).
/// There the uplink walks a ladder of wills — retain off, then QoS 0, then
/// both — and what the accepted one gave up is what the broker refuses.
struct BrokerLimits: Sendable, Equatable {
    /// The will as configured (`status.qos`, `status.retain`), if any.
    let configuredWill: ConnectPacket.Will?
    /// The highest will QoS the broker takes, as far as known.
    private(set) var willQoSCap: MQTTQoS = .exactlyOnce
    /// True once the broker refused a retained will.
    private(set) var dropsWillRetain = false
    /// MQTT 3.1.1: how many closes before CONNACK the ladder has taken.
    private(set) var ladderStep = 0
    /// MQTT 3.1.1: the highest QoS the broker takes, inferred from the will it accepted.
    private(set) var inferredMaximumQoS: MQTTQoS = .exactlyOnce
    /// MQTT 3.1.1: false once the broker took only a will without retain.
    private(set) var inferredRetainAvailable = true

    init(configuredWill: ConnectPacket.Will?) {
        self.configuredWill = configuredWill
    }

    /// The will to send in the next CONNECT.
    var will: ConnectPacket.Will? {
        guard var will = configuredWill else { return nil }
        will.qos = min(will.qos, willQoSCap)
        will.retain = will.retain && !dropsWillRetain
        return will
    }

    /// MQTT 5 CONNACK 0x9A: the next CONNECT carries the will without retain.
    /// False when the will is not retained (the refusal is about something else).
    mutating func retainRefused() -> Bool {
        guard let will, will.retain else { return false }
        dropsWillRetain = true
        return true
    }

    /// MQTT 5 CONNACK 0x9B: the next CONNECT carries the will one QoS lower.
    /// False when the will is at QoS 0 already.
    mutating func qosRefused() -> Bool {
        guard let will, let lower = MQTTQoS(rawValue: will.qos.rawValue &- 1), will.qos > .atMostOnce else { return false }
        willQoSCap = lower
        return true
    }

    /// MQTT 3.1.1: the broker closed the connection before CONNACK. The next
    /// CONNECT tries the next will on the ladder (retain off; QoS 0; both);
    /// false when every rung was tried (the last is kept).
    mutating func closedBeforeConnAck() -> Bool {
        guard let configured = configuredWill else { return false }
        let rungs = Self.ladder(for: configured)
        guard ladderStep + 1 < rungs.count else { return false }
        ladderStep += 1
        let rung = rungs[ladderStep]
        willQoSCap = rung.qos
        dropsWillRetain = !rung.retain && configured.retain
        return true
    }

    /// MQTT 3.1.1: the broker accepted the current will. What it had to give
    /// up is what the broker refuses, for the will and every other message.
    mutating func acceptedWithoutProperties() {
        guard let configured = configuredWill, let will else { return }
        if will.qos < configured.qos { inferredMaximumQoS = will.qos }
        if configured.retain, !will.retain { inferredRetainAvailable = false }
    }

    /// The wills a 3.1.1 broker is offered in turn, without repeats.
    private static func ladder(for will: ConnectPacket.Will) -> [(qos: MQTTQoS, retain: Bool)] {
        let candidates: [(qos: MQTTQoS, retain: Bool)] = [
            (will.qos, will.retain), (will.qos, false), (.atMostOnce, will.retain), (.atMostOnce, false),
        ]
        var rungs: [(qos: MQTTQoS, retain: Bool)] = []
        for candidate in candidates where !rungs.contains(where: { $0 == candidate }) {
            rungs.append(candidate)
        }
        return rungs
    }

    /// What the uplink gives up on a link that allows `maximumQoS` and
    /// `isRetainAvailable`, in the words of the status's `uplink.degraded`.
    /// The status document shares the will's QoS and retain (`status.qos`,
    /// `status.retain`), so it is degraded exactly when the will would be.
    func degradations(maximumQoS: MQTTQoS, isRetainAvailable: Bool) -> [String] {
        var list: [String] = []
        if let configured = configuredWill, let will {
            if configured.retain, !will.retain { list.append("will_retain") }
            if will.qos < configured.qos { list.append("will_qos") }
            if configured.retain, !isRetainAvailable { list.append("status_retain") }
            if configured.qos > maximumQoS { list.append("status_qos") }
        }
        if !isRetainAvailable { list.append("message_retain") }
        if maximumQoS < .exactlyOnce { list.append("message_qos") }
        return list
    }
}
