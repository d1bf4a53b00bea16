/// One case of `perch-bench coap`: how many sensors, which message type, how fast.
struct CoAPCase: Sendable {
    /// How the sensors send their PUTs.
    enum Mode: Sendable, Equatable {
        /// NON, paced to an aggregate rate (nil: as fast as the sockets take them).
        case nonConfirmable(rate: Int?)
        /// CON with at most `window` requests per sensor awaiting their 2.04.
        case confirmable(window: Int)
    }

    var mode: Mode
    /// Simulated sensors, each with its own UDP socket (its own CoAP endpoint).
    var clients: Int
    /// How long the generator sends.
    var durationNanoseconds: UInt64
    /// A number unique to the case, in every payload and topic.
    var caseTag: UInt32

    /// The topic sensor `index` publishes on (the Uri-Path after `ps/`, mountpoint empty).
    func topic(forClient index: Int) -> String { "bench/c\(caseTag)/\(index)" }
    /// Every topic of the case, for the counter.
    var topicFilter: String { "bench/c\(caseTag)/#" }
    /// The warm-up's topic for sensor `index`: outside `topicFilter`, so never counted.
    func warmUpTopic(forClient index: Int) -> String { "bench/w\(caseTag)/\(index)" }

    /// True for the CON cases.
    var isConfirmable: Bool {
        if case .confirmable = mode { return true }
        return false
    }

    /// The CON window (0 for NON).
    var window: Int {
        if case .confirmable(let window) = mode { return window }
        return 0
    }

    /// The NON rate (nil for unpaced NON and for CON, which the window paces).
    var rate: Int? {
        if case .nonConfirmable(let rate) = mode { return rate }
        return nil
    }

    /// The query of every PUT: CON carries `qos=1`, the counterpart of an MQTT-SN
    /// QoS 1 PUBLISH; NON carries none (QoS 0, the default, SPEC §4).
    var uriQuery: [String] { isConfirmable ? ["qos=1"] : [] }

    /// The table's *type* cell: `NON` or `CON w8`.
    var modeText: String {
        switch mode {
        case .nonConfirmable: return "NON"
        case .confirmable(let window): return "CON w\(window)"
        }
    }

    /// The table's *offered/s* cell: the NON rate, `unpaced`, or `window` for CON.
    var rateText: String {
        switch mode {
        case .nonConfirmable(let rate): return rate.map { Formatting.number(Double($0)) } ?? "unpaced"
        case .confirmable: return "window"
        }
    }
}
