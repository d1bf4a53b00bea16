/// A validated MQTT topic filter (MQTT 5.0 §4.7, 3.1.1 §4.7): the one matcher Perch
/// uses to route downlink messages to subscribers.
///
/// Shared subscriptions (`$share/…`) are refused with
/// ``TopicValidationError/sharedSubscriptionNotSupported`` rather than matched literally.
public struct TopicFilter: Sendable, Hashable, CustomStringConvertible {
    /// The filter as given.
    public let value: String
    /// The levels, parsed once so that matching allocates nothing.
    private let levels: [Level]

    private enum Level: Sendable {
        case literal([UInt8])
        case singleLevel
        case multiLevel
    }

    /// Validates and parses `value`.
    public init(_ value: String) throws(TopicValidationError) {
        let utf8 = value.utf8
        guard !utf8.isEmpty else { throw .empty } // [MQTT-4.7.3-1]
        guard utf8.count <= Int(UInt16.max) else { throw .tooLong(utf8.count) }
        guard !utf8.contains(0) else { throw .containsNull } // [MQTT-4.7.3-2]
        let rawLevels = utf8.split(separator: TopicSyntax.levelSeparator, omittingEmptySubsequences: false)
        var levels: [Level] = []
        levels.reserveCapacity(rawLevels.count)
        for (index, raw) in rawLevels.enumerated() {
            let hasSingle = raw.contains(TopicSyntax.singleLevelWildcard)
            let hasMulti = raw.contains(TopicSyntax.multiLevelWildcard)
            if hasSingle || hasMulti {
                // [MQTT-4.7.1-2], [MQTT-4.7.1-3]: a wildcard fills a whole level; "#" only the last.
                guard raw.count == 1 else { throw .misplacedWildcard }
                if hasMulti {
                    guard index == rawLevels.count - 1 else { throw .misplacedWildcard }
                    levels.append(.multiLevel)
                } else {
                    levels.append(.singleLevel)
                }
            } else {
                levels.append(.literal(Array(raw)))
            }
        }
        if let firstLevel = levels.first, case .literal(let first) = firstLevel, first.elementsEqual("$share".utf8) {
            throw .sharedSubscriptionNotSupported // MQTT 5.0 §4.8.2
        }
        self.value = value
        self.levels = levels
    }

    /// True when the filter holds `+` or `#`, so it can match more than one topic name.
    public var hasWildcards: Bool {
        levels.contains { level in
            if case .literal = level { return false }
            return true
        }
    }

    /// True when `topicName` is a valid topic name that this filter matches (MQTT 5.0 §4.7.1).
    ///
    /// A string that is not a valid topic name (empty, or holding a wildcard or U+0000)
    /// matches nothing.
    public func matches(_ topicName: String) -> Bool {
        var name = topicName
        return name.withUTF8 { matches(bytes: $0) }
    }

    /// True when this filter matches `topicName` (MQTT 5.0 §4.7.1).
    public func matches(_ topicName: TopicName) -> Bool {
        matches(topicName.value)
    }

    private func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where byte == 0
            || byte == TopicSyntax.singleLevelWildcard || byte == TopicSyntax.multiLevelWildcard {
            return false
        }
        // [MQTT-4.7.2-1]: a filter starting with a wildcard does not match a topic starting with "$".
        if bytes[0] == TopicSyntax.systemPrefix, let first = levels.first {
            if case .literal = first {} else { return false }
        }
        var levelStart = 0
        var isTopicExhausted = false
        for level in levels {
            let pattern: [UInt8]?
            switch level {
            case .multiLevel:
                // §4.7.1.2: "#" matches the parent level and any number of child levels.
                return true
            case .singleLevel:
                pattern = nil
            case .literal(let bytes):
                pattern = bytes
            }
            if isTopicExhausted { return false }
            var levelEnd = levelStart
            while levelEnd < bytes.count && bytes[levelEnd] != TopicSyntax.levelSeparator {
                levelEnd += 1
            }
            if let pattern, !Self.equal(pattern, bytes, levelStart..<levelEnd) { return false }
            if levelEnd == bytes.count {
                isTopicExhausted = true
            } else {
                levelStart = levelEnd + 1
            }
        }
        return isTopicExhausted
    }

    private static func equal(_ pattern: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard pattern.count == range.count else { return false }
        var index = range.lowerBound
        for byte in pattern {
            if byte != bytes[index] { return false }
            index += 1
        }
        return true
    }

    /// The filter as given.
    public var description: String { value }

    /// Two filters are equal when their text is; the parsed levels follow from it.
    public static func == (lhs: TopicFilter, rhs: TopicFilter) -> Bool {
        lhs.value == rhs.value
    }

    /// Hashes the filter's text.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }
}
