import PerchCore
import Testing

/// Which strings are topic names and which are topic filters (MQTT 5.0 §4.7, 3.1.1 §4.7).
@Suite("Topic names and filters: validation")
struct TopicValidationTests {
    @Test("MQTT 5.0 §4.7.1.2/§4.7.1.3: valid filters", arguments: [
        "#", "+", "sport/tennis/player1/#", "sport/#", "+/tennis/#", "sport/+/player1", "/+", "+/+",
        "sport/tennis/+", "/", "//", "$SYS/#", "$SYS/monitor/+", "a/+/+/b/#", "Accounts payable", "水/+",
    ])
    func validFilters(filter: String) throws {
        let parsed = try TopicFilter(filter)
        #expect(parsed.value == filter)
    }

    @Test("[MQTT-4.7.1-2]/[MQTT-4.7.1-3]: a wildcard fills a whole level, # only the last", arguments: [
        "sport/tennis#", "sport/tennis/#/ranking", "sport+", "+sport", "#/", "##", "++", "a/b#", "a/#/#", "#/a", "a/+b/c",
    ])
    func misplacedWildcards(filter: String) {
        #expect(throws: TopicValidationError.misplacedWildcard) { try TopicFilter(filter) }
    }

    @Test("[MQTT-4.7.3-1]: neither a name nor a filter is empty")
    func empty() {
        #expect(throws: TopicValidationError.empty) { try TopicFilter("") }
        #expect(throws: TopicValidationError.empty) { try TopicName("") }
    }

    @Test("[MQTT-4.7.3-2]: U+0000 is refused")
    func null() {
        #expect(throws: TopicValidationError.containsNull) { try TopicFilter("a/\u{0}") }
        #expect(throws: TopicValidationError.containsNull) { try TopicName("\u{0}b") }
    }

    @Test("§1.5.4: at most 65535 bytes of UTF-8")
    func length() throws {
        let longest = String(repeating: "a", count: 65_535)
        _ = try TopicFilter(longest)
        _ = try TopicName(longest)
        // Three bytes of UTF-8 each: 21,846 × 3 = 65,538 bytes.
        let tooLong = String(repeating: "水", count: 21_846)
        #expect(throws: TopicValidationError.tooLong(65_538)) { try TopicFilter(tooLong) }
        #expect(throws: TopicValidationError.tooLong(65_538)) { try TopicName(tooLong) }
    }

    @Test("[MQTT-4.7.1-1]: a topic name holds no wildcard", arguments: ["#", "+", "a/+", "a/#", "a+b", "sport/tennis#"])
    func wildcardInName(name: String) {
        #expect(throws: TopicValidationError.wildcardInTopicName) { try TopicName(name) }
    }

    @Test("§4.7.3: topic names may have empty levels, spaces and $", arguments: [
        "/", "/finance", "finance/", "a//b", "$SYS/broker/load", "Accounts payable", "ACCOUNTS", "水/温度",
    ])
    func validNames(name: String) throws {
        #expect(try TopicName(name).value == name)
    }

    @Test("MQTT 5.0 §4.8.2: shared subscriptions are refused, not matched literally")
    func sharedSubscriptions() throws {
        #expect(throws: TopicValidationError.sharedSubscriptionNotSupported) { try TopicFilter("$share/group/a/b") }
        #expect(throws: TopicValidationError.sharedSubscriptionNotSupported) { try TopicFilter("$share/g/#") }
        #expect(throws: TopicValidationError.sharedSubscriptionNotSupported) { try TopicFilter("$share") }
        // Only the exact first level "$share" is special.
        _ = try TopicFilter("$shared/a")
        _ = try TopicFilter("a/$share/b")
    }

    @Test("hasWildcards tells exact filters from wildcard ones")
    func hasWildcards() throws {
        #expect(try !TopicFilter("a/b").hasWildcards)
        #expect(try TopicFilter("a/+").hasWildcards)
        #expect(try TopicFilter("#").hasWildcards)
    }

    @Test("filters compare and hash by their text")
    func equality() throws {
        #expect(try TopicFilter("a/+") == TopicFilter("a/+"))
        #expect(try TopicFilter("a/+") != TopicFilter("a/#"))
        #expect(try Set([TopicFilter("a/+"), TopicFilter("a/+"), TopicFilter("b")]).count == 2)
    }

    @Test("every error has a readable description")
    func descriptions() {
        let errors: [TopicValidationError] = [
            .empty, .tooLong(70_000), .containsNull, .wildcardInTopicName, .misplacedWildcard, .sharedSubscriptionNotSupported,
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
    }
}
