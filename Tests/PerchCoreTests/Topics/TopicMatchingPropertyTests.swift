import PerchTestKit
import PerchCore
import Testing

/// The matcher against a slow, independent reference over many generated
/// filter/topic pairs (seeded, so every run checks the same pairs).
@Suite("Topic filters: matcher against a reference")
struct TopicMatchingPropertyTests {
    /// Levels drawn for topic names: empty levels, "$" levels, non-ASCII, regex metacharacters.
    private static let nameLevels = ["a", "b", "ab", "", "$SYS", "$", "水", "a.b", "A"]
    /// Levels drawn for filters: the same literals plus the wildcards.
    private static let filterLevels = ["a", "b", "ab", "", "$SYS", "水", "a.b", "+", "+"]

    @Test("the matcher agrees with the reference on 20,000 generated pairs", arguments: [11, 12] as [UInt64])
    func agreesWithReference(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var matched = 0
        var dollarRefusals = 0
        for _ in 0..<10_000 {
            let filterText = Self.filter(&random)
            let topic = Self.topic(&random)
            let filter = try TopicFilter(filterText)
            let expected = try referenceMatches(filter: filterText, topic: topic)
            #expect(filter.matches(topic) == expected, "\(filterText) vs \(topic)")
            if expected { matched += 1 }
            if topic.hasPrefix("$") && (filterText.hasPrefix("+") || filterText.hasPrefix("#")) { dollarRefusals += 1 }
        }
        // The pairs must exercise both outcomes and the $ rule, or the test proves nothing.
        #expect(matched > 500)
        #expect(matched < 9_500)
        #expect(dollarRefusals > 100)
    }

    @Test("a filter without wildcards matches exactly the topic name equal to it")
    func exactFilterIsEquality() throws {
        var random = SplitMix64(seed: 13)
        for _ in 0..<2_000 {
            let first = Self.topic(&random)
            let second = Self.topic(&random)
            guard let filter = try? TopicFilter(first) else { continue }
            #expect(!filter.hasWildcards)
            #expect(filter.matches(first))
            #expect(filter.matches(second) == (first == second), "\(first) vs \(second)")
        }
    }

    private static func topic(_ random: inout SplitMix64) -> String {
        let count = Int.random(in: 1...5, using: &random)
        return (0..<count).map { _ in nameLevels.randomElement(using: &random) ?? "a" }.joined(separator: "/")
    }

    private static func filter(_ random: inout SplitMix64) -> String {
        let count = Int.random(in: 0...4, using: &random)
        var levels = (0..<count).map { _ in filterLevels.randomElement(using: &random) ?? "a" }
        // A lone empty level would be the empty filter, which is not a filter at all.
        if levels.isEmpty || levels == [""] || Int.random(in: 0...2, using: &random) == 0 { levels.append("#") }
        return levels.joined(separator: "/")
    }
}

/// A slow matcher written differently from `TopicFilter`: the filter becomes a
/// regular expression over the whole topic (MQTT 5.0 §4.7.1), plus the $ rule.
private func referenceMatches(filter: String, topic: String) throws -> Bool {
    guard !topic.isEmpty, !topic.contains("+"), !topic.contains("#") else { return false }
    let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
    if topic.hasPrefix("$"), let first = levels.first, first == "+" || first == "#" { return false }
    var pattern = ""
    for (index, level) in levels.enumerated() {
        let separator = index == 0 ? "" : "/"
        switch level {
        case "#": pattern += index == 0 ? ".*" : "(/.*)?"
        case "+": pattern += separator + "[^/]*"
        default: pattern += separator + level.map { $0.isLetter || $0.isNumber ? String($0) : "\\" + String($0) }.joined()
        }
    }
    return topic.wholeMatch(of: try Regex(pattern)) != nil
}
