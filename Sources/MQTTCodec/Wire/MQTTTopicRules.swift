/// The rules for topic names and topic filters (MQTT 3.1.1 §4.7, MQTT 5.0 §4.7).
enum MQTTTopicRules {
    /// A topic name has no wildcard ([MQTT-3.3.2-2], [MQTT-4.7.1-1]) and is not
    /// empty ([MQTT-4.7.3-1]) unless `allowsEmpty` (5.0 PUBLISH with a Topic Alias, §3.3.2.1).
    static func validateName(_ topic: String, allowsEmpty: Bool = false) throws(MQTTCodecError) {
        if topic.isEmpty && !allowsEmpty { throw .invalidTopicName(topic) }
        // One pass over contiguous UTF-8: this runs for every PUBLISH in both
        // directions, and two `contains` walks were most of decode's cost.
        let isWildcard: (UInt8) -> Bool = { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }
        let hasWildcard = topic.utf8.withContiguousStorageIfAvailable { $0.contains(where: isWildcard) }
            ?? topic.utf8.contains(where: isWildcard)
        if hasWildcard { throw .invalidTopicName(topic) }
    }

    /// A topic filter is not empty ([MQTT-4.7.3-1]); "+" fills a whole level
    /// ([MQTT-4.7.1-3]); "#" fills a whole level and is the last one ([MQTT-4.7.1-2]).
    static func validateFilter(_ filter: String) throws(MQTTCodecError) {
        guard !filter.isEmpty else { throw .invalidTopicFilter(filter) }
        let levels = filter.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() {
            let hasPlus = level.contains(UInt8(ascii: "+"))
            let hasHash = level.contains(UInt8(ascii: "#"))
            if (hasPlus || hasHash) && level.count != 1 { throw .invalidTopicFilter(filter) }
            if hasHash && index != levels.count - 1 { throw .invalidTopicFilter(filter) }
        }
    }
}
