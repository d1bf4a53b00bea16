/// One case of the grid: how many clients, how fast, which QoS, which path.
struct LoadSettings: Sendable {
    /// Which way messages reach the broker.
    enum Path: Sendable, Equatable {
        /// MQTT-SN over UDP through perchd (its uplink over TLS when `tls`).
        case perchd(tls: Bool)
        /// MQTT 5 over TCP straight into the broker: the ceiling.
        case directMQTT
    }

    var path: Path
    /// Simulated clients, each with its own socket.
    var clients: Int
    /// Aggregate messages per second over all clients; nil sends as fast as possible.
    var rate: Int?
    /// QoS 1 (with `window` unacknowledged per client) or QoS 0.
    var isQoS1: Bool
    /// Unacknowledged QoS 1 messages allowed per client.
    var window: Int = 10
    /// How long the generator publishes.
    var durationNanoseconds: UInt64
    /// A number unique to the case, in every payload and topic.
    var caseTag: UInt32

    /// The topic client `index` publishes on; the counter subscribes to `topicFilter`.
    func topic(forClient index: Int) -> String { "bench/c\(caseTag)/\(index)" }
    /// Every topic of the case.
    var topicFilter: String { "bench/c\(caseTag)/#" }

    var rateText: String { rate.map { Formatting.number(Double($0)) } ?? "unpaced" }
    var pathText: String {
        switch path {
        case .perchd(let tls): return tls ? "perchd (TLS uplink)" : "perchd"
        case .directMQTT: return "MQTT direct (ceiling)"
        }
    }
}
