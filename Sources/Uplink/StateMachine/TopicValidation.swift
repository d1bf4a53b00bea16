/// Topic name and filter rules a client must follow before sending
/// (MQTT 5.0 §4.7, 3.1.1 §4.7).
enum TopicValidation {
    /// A topic name: at least one character, no wildcards, no NUL ([MQTT-4.7.3-1], [MQTT-4.7.0-1]).
    static func isValidTopicName(_ topic: String) -> Bool {
        !topic.isEmpty && !topic.utf8.contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") || $0 == 0 }
    }

    /// A topic filter: `+` fills a whole level, `#` fills the whole last level (§4.7.1).
    static func isValidTopicFilter(_ filter: String) -> Bool {
        guard !filter.isEmpty, !filter.utf8.contains(0) else { return false }
        let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() {
            if level.contains("#"), level != "#" || index != levels.count - 1 { return false }
            if level.contains("+"), level != "+" { return false }
        }
        return true
    }
}
