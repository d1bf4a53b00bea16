import MQTTCodec

/// What the query of a PUT or POST on `/ps/{topic}` asks for (SPEC §4):
/// `qos=0|1|2` and `retain=0|1|true|false`, joined by `&`.
struct PublishOptions: Equatable, Sendable {
    var qos: MQTTQoS = .atMostOnce
    var retain = false

    /// Parses the Uri-Query options as libcoap joins them (`a=1&b=2`).
    ///
    /// Unknown keys, repeated keys and bad values are refused, so a typo
    /// (`retian=1`) never publishes something the sensor did not ask for.
    init(query: String) throws(CoAPRequestError) {
        guard !query.isEmpty else { return }
        var seen: Set<Substring> = []
        for item in query.split(separator: "&", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0]
            let value = parts.count == 2 ? parts[1] : nil
            guard seen.insert(key).inserted else { throw .badQuery("\(key) given twice") }
            switch key {
            case "qos":
                guard let value, let raw = UInt8(value), let qos = MQTTQoS(rawValue: raw) else {
                    throw .badQuery("qos must be 0, 1 or 2")
                }
                self.qos = qos
            case "retain":
                switch value {
                case "1", "true": self.retain = true
                case "0", "false": self.retain = false
                default: throw .badQuery("retain must be 0, 1, true or false")
                }
            default:
                throw .badQuery("unknown query option \(key)")
            }
        }
    }

    /// No options: QoS 0, not retained.
    init() {}
}
