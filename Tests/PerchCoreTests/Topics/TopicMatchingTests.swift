import PerchCore
import Testing

/// The examples of MQTT 5.0 §4.7 (the same as 3.1.1 §4.7), each as a test.
@Suite("Topic filters: matching")
struct TopicMatchingTests {
    private func expectMatch(
        _ filter: String, _ topic: String, _ expected: Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let parsed = try TopicFilter(filter)
        #expect(parsed.matches(topic) == expected, "\(filter) vs \(topic)", sourceLocation: sourceLocation)
        if let name = try? TopicName(topic) {
            #expect(parsed.matches(name) == expected, sourceLocation: sourceLocation)
        }
    }

    @Test("§1.5.4: topics are UTF-8 bytes: '$' and '/' followed by a combining mark (the fuzzer's regression input)")
    func combiningMarks() throws {
        // As Swift Characters "$\u{1DF7}" is one grapheme and does not start with "$".
        try expectMatch("#", "$\u{1DF7}x", false)
        try expectMatch("$\u{1DF7}x", "$\u{1DF7}x", true)
        try expectMatch("a/+", "a/\u{301}", true)
        try expectMatch("a/\u{301}", "a/\u{301}", true)
        try expectMatch("+/+", "a/\u{301}", true)
    }

    @Test("§4.7.1.2: sport/tennis/player1/# matches the parent level and every child level")
    func multiLevelExamples() throws {
        try expectMatch("sport/tennis/player1/#", "sport/tennis/player1", true)
        try expectMatch("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)
        try expectMatch("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)
        try expectMatch("sport/tennis/player1/#", "sport/tennis/player2", false)
        try expectMatch("sport/tennis/player1/#", "sport/tennis", false)
    }

    @Test("§4.7.1.2: sport/# matches sport, its parent level")
    func multiLevelParent() throws {
        try expectMatch("sport/#", "sport", true)
        try expectMatch("sport/#", "sport/", true)
        try expectMatch("sport/#", "sports", false)
    }

    @Test("§4.7.1.2: # alone matches every topic not starting with $")
    func multiLevelAlone() throws {
        for topic in ["a", "/", "/finance", "sport/tennis/player1", "a//b", "finance/"] {
            try expectMatch("#", topic, true)
        }
    }

    @Test("§4.7.1.3: sport/tennis/+ matches one level only")
    func singleLevelExamples() throws {
        try expectMatch("sport/tennis/+", "sport/tennis/player1", true)
        try expectMatch("sport/tennis/+", "sport/tennis/player2", true)
        try expectMatch("sport/tennis/+", "sport/tennis/player1/ranking", false)
    }

    @Test("§4.7.1.3: sport/+ does not match sport but does match sport/")
    func singleLevelEmptyLevel() throws {
        try expectMatch("sport/+", "sport", false)
        try expectMatch("sport/+", "sport/", true)
    }

    @Test("§4.7.1.3: /finance is matched by +/+ and /+ but not by +")
    func leadingSeparator() throws {
        try expectMatch("+/+", "/finance", true)
        try expectMatch("/+", "/finance", true)
        try expectMatch("+", "/finance", false)
    }

    @Test("§4.7.1.3: sport/+/player1 and +/tennis/# combine the wildcards")
    func combined() throws {
        try expectMatch("sport/+/player1", "sport/tennis/player1", true)
        try expectMatch("sport/+/player1", "sport/tennis/player2", false)
        try expectMatch("+/tennis/#", "sport/tennis", true)
        try expectMatch("+/tennis/#", "sport/tennis/player1/ranking", true)
        try expectMatch("+/tennis/#", "sport/golf", false)
    }

    @Test("[MQTT-4.7.2-1]: a filter starting with a wildcard does not match a topic starting with $")
    func dollarTopics() throws {
        try expectMatch("#", "$SYS/monitor/Clients", false)
        try expectMatch("+/monitor/Clients", "$SYS/monitor/Clients", false)
        try expectMatch("+", "$SYS", false)
        try expectMatch("$SYS/#", "$SYS/monitor/Clients", true)
        try expectMatch("$SYS/monitor/+", "$SYS/monitor/Clients", true)
        try expectMatch("$SYS/#", "$SYS", true)
        // Only the first character counts: a later "$" is an ordinary character.
        try expectMatch("+/$SYS", "a/$SYS", true)
        try expectMatch("#", "a/$x", true)
    }

    @Test("§4.7.3: levels are compared exactly, case and empty levels included")
    func exactLevels() throws {
        try expectMatch("ACCOUNTS", "Accounts", false)
        try expectMatch("Accounts payable", "Accounts payable", true)
        try expectMatch("/finance", "finance", false)
        try expectMatch("finance", "/finance", false)
        try expectMatch("/", "/", true)
        try expectMatch("+/+", "/", true)
        try expectMatch("+", "/", false)
        try expectMatch("a//b", "a//b", true)
        try expectMatch("a/+/b", "a//b", true)
        try expectMatch("a/b", "a/b/", false)
        try expectMatch("a/b/", "a/b", false)
        try expectMatch("水/+", "水/温度", true)
    }

    @Test("strings that are not topic names match nothing")
    func invalidNames() throws {
        let everything = try TopicFilter("#")
        #expect(!everything.matches(""))
        #expect(!everything.matches("a/+"))
        #expect(!everything.matches("a/#"))
        #expect(!everything.matches("a\u{0}"))
        #expect(try !TopicFilter("a/+").matches("a/+"))
    }
}
