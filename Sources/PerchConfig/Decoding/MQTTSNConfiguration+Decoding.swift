import PerchCore
import Yams

extension MQTTSNConfiguration {
    static let keys = [
        "listen", "gateway_id", "advertise", "predefined_topics", "allow_clients",
        "max_clients", "sleeping_buffer", "retry", "receive_buffer", "rate_limit",
    ]

    static func decode(_ node: ConfigNode?, context: DecodingContext) -> MQTTSNConfiguration {
        let defaults = MQTTSNConfiguration()
        guard let node, let mapping = context.mapping(node, known: keys) else { return defaults }
        // MQTT-SN v1.2 §5.3.2: GwId is one byte.
        let gatewayID = mapping.value("gateway_id", default: 1) { context.integer($0, in: 0...255) }
        return MQTTSNConfiguration(
            listen: mapping.value("listen", default: defaults.listen) { context.listenAddresses($0) },
            gatewayID: UInt8(truncatingIfNeeded: gatewayID),
            advertise: mapping["advertise"].flatMap { AdvertiseConfiguration.decode($0, context: context) },
            predefinedTopics: mapping["predefined_topics"].map { PredefinedTopic.decodeAll($0, context: context) } ?? [],
            allowedClients: mapping.value("allow_clients", default: []) { clientIDs($0, context: context) },
            maxClients: mapping.value("max_clients", default: defaults.maxClients) { context.integer($0, in: 1...100_000) },
            sleepingBuffer: mapping.value("sleeping_buffer", default: defaults.sleepingBuffer) { context.integer($0, in: 0...100_000) },
            retry: mapping["retry"].map { RetryConfiguration.decode($0, context: context) } ?? defaults.retry,
            receiveBuffer: mapping.value("receive_buffer", default: defaults.receiveBuffer) {
                context.size($0, in: .kibibytes(64) ... .gibibytes(1))
            },
            rateLimit: mapping.value("rate_limit", default: defaults.rateLimit) { decodeRateLimit($0, context: context) }
        )
    }

    /// `off` (or `false`), or `{rate: N, burst: M}` with a burst of at least the rate.
    private static func decodeRateLimit(_ node: ConfigNode, context: DecodingContext) -> RateLimit?? {
        if node.text != nil, node.hasTag(.bool), node.node.bool == false { return .some(nil) }
        guard case .mapping = node.node else {
            context.error(node, "expected off or a mapping with rate and burst, got \(node.shown)")
            return nil
        }
        guard let mapping = context.mapping(node, known: ["rate", "burst"]) else { return nil }
        // A bad value is reported here; the fallback only keeps the decoding going.
        let rate = mapping.value("rate", default: RateLimit.default.rate) { context.integer($0, in: 1...1_000_000) }
        let burst = mapping.value("burst", default: 2 * rate) { context.integer($0, in: 1...10_000_000) }
        guard burst >= rate else {
            context.error(mapping["burst"] ?? node, "must be at least rate (\(rate)), got \(burst)")
            return nil
        }
        return .some(RateLimit(rate: rate, burst: burst))
    }

    private static func clientIDs(_ node: ConfigNode, context: DecodingContext) -> [String]? {
        guard let elements = context.list(node) else { return nil }
        var seen: Set<String> = []
        var ids: [String] = []
        var isValid = true
        for element in elements {
            guard let id = context.string(element) else { isValid = false; continue }
            // MQTT-SN v1.2 §5.3.1: a ClientId is 1 to 23 characters.
            if !(1...23).contains(id.count) {
                context.error(element, "an MQTT-SN client id is 1 to 23 characters, got \(element.shown)")
                isValid = false
            } else if !seen.insert(id).inserted {
                context.error(element, "duplicate client id \(element.shown)")
                isValid = false
            } else {
                ids.append(id)
            }
        }
        return isValid ? ids : nil
    }
}

extension AdvertiseConfiguration {
    static let keys = ["interval", "address"]

    static func decode(_ node: ConfigNode, context: DecodingContext) -> AdvertiseConfiguration? {
        let defaults = AdvertiseConfiguration()
        guard let mapping = context.mapping(node, known: keys) else { return nil }
        // MQTT-SN v1.2 §5.4.1: ADVERTISE carries the interval as two bytes of seconds.
        let interval = mapping.value("interval", default: defaults.interval) {
            context.duration($0, in: .seconds(1) ... .seconds(65_535), wholeSeconds: true)
        }
        let address = mapping.value("address", default: defaults.address) { node in
            context.listenAddress(node).flatMap { address in
                if address.port == 0 { context.error(node, "the port must be between 1 and 65535"); return nil }
                return address
            }
        }
        return AdvertiseConfiguration(interval: interval, address: address)
    }
}

extension PredefinedTopic {
    /// Decodes the `id: topic` mapping, sorted by id; ids and topics unique.
    static func decodeAll(_ node: ConfigNode, context: DecodingContext) -> [PredefinedTopic] {
        if node.isNull { return [] }
        guard case let .mapping(mapping) = node.node else {
            context.error(node, "expected a mapping of topic ids to topic names, got \(node.shown)")
            return []
        }
        var topics: [PredefinedTopic] = []
        var topicLocations: [String: SourceLocation] = [:]
        var idLocations: [UInt16: SourceLocation] = [:]
        for (key, value) in mapping {
            let keyText = key.scalar?.string ?? ""
            if keyText.contains(YAMLDocument.duplicateMarker) { continue }
            let keyNode = ConfigNode(node: key, path: KeyPath.child(node.path, keyText))
            let valueNode = ConfigNode(node: value, path: keyNode.path)
            // MQTT-SN v1.2 §5.3.11: 0x0000 and 0xFFFF are reserved.
            guard let id = context.integer(keyNode, in: 1...65_534).map({ UInt16($0) }) else { continue }
            guard let topic = context.topic(valueNode) else { continue }
            if let first = idLocations[id] {
                context.error(keyNode, "topic id \(id) is already defined at \(context.originalLocation(first))")
                continue
            }
            if let first = topicLocations[topic] {
                context.error(valueNode, "topic \"\(topic)\" already has a predefined id at \(context.originalLocation(first))")
                continue
            }
            idLocations[id] = keyNode.location
            topicLocations[topic] = valueNode.location
            topics.append(PredefinedTopic(id: id, topic: topic))
        }
        return topics.sorted { $0.id < $1.id }
    }
}

extension RetryConfiguration {
    static let keys = ["interval", "count"]

    static func decode(_ node: ConfigNode, context: DecodingContext) -> RetryConfiguration {
        let defaults = RetryConfiguration()
        guard let mapping = context.mapping(node, known: keys) else { return defaults }
        return RetryConfiguration(
            interval: mapping.value("interval", default: defaults.interval) {
                context.duration($0, in: .milliseconds(100) ... .seconds(3_600))
            },
            count: mapping.value("count", default: defaults.count) { context.integer($0, in: 0...100) }
        )
    }
}
