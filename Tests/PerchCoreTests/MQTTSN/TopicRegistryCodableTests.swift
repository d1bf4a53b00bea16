import Foundation
import PerchCore
import Testing

/// Persisting a clean-session-off client's registrations (SPEC §3, MQTT-SN v1.2 §6.3).
@Suite("TopicRegistry: Codable")
struct TopicRegistryCodableTests {
    private func roundTrip(_ registry: TopicRegistry) throws -> TopicRegistry {
        try JSONDecoder().decode(TopicRegistry.self, from: JSONEncoder().encode(registry))
    }

    @Test("§6.3: a registry survives a JSON round trip: ids, pending state, bound, next id, predefined topics")
    func roundTripKeepsEverything() throws {
        var registry = TopicRegistry(predefinedTopics: try PredefinedTopics([1: "p/one", 40: "p/forty"]), maximumRegistrations: 50)
        for index in 0..<10 { _ = try registry.register("t/\(index)").get() }
        let pending = try registry.registrationForDownlink("down/pending").get()
        let acknowledged = try registry.registrationForDownlink("down/acknowledged").get()
        registry.acknowledge(id: acknowledged.id)
        _ = registry.withdraw(id: try registry.registrationForDownlink("down/withdrawn").get().id)

        let restored = try roundTrip(registry)
        #expect(restored == registry)
        #expect(!restored.isUsable(id: pending.id))
        #expect(restored.isUsable(id: acknowledged.id))
        #expect(restored.topicName(for: .normal(3)) == .success("t/2"))
        #expect(restored.topicName(for: .predefined(40)) == .success("p/forty"))
        #expect(restored.maximumRegistrations == 50)

        // The restored registry goes on where the original would: same next id, no reuse.
        var original = registry
        var copy = restored
        #expect(try copy.register("after/restart").get() == original.register("after/restart").get())
    }

    @Test("§6.3: an empty registry round-trips, and the encoding is stable")
    func emptyRoundTrip() throws {
        let registry = TopicRegistry()
        #expect(try roundTrip(registry) == registry)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(registry), as: UTF8.self)
        #expect(text == #"{"maximumRegistrations":1000,"nextTopicID":1,"predefinedTopics":[],"registrations":[],"version":1}"#)
    }

    @Test(
        "§5.3.11 and MQTT 5.0 §4.7: a damaged file is refused, not loaded",
        arguments: [
            #"{"version":2,"maximumRegistrations":10,"nextTopicID":1,"predefinedTopics":[],"registrations":[]}"#,
            #"{"version":1,"maximumRegistrations":70000,"nextTopicID":1,"predefinedTopics":[],"registrations":[]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":0,"predefinedTopics":[],"registrations":[]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":65535,"predefinedTopics":[],"registrations":[]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":2,"predefinedTopics":[],"registrations":[{"id":0,"topic":"a","acknowledged":true}]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":2,"predefinedTopics":[],"registrations":[{"id":65535,"topic":"a","acknowledged":true}]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":2,"predefinedTopics":[],"registrations":[{"id":1,"topic":"a","acknowledged":true},{"id":1,"topic":"b","acknowledged":true}]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":2,"predefinedTopics":[],"registrations":[{"id":1,"topic":"a","acknowledged":true},{"id":2,"topic":"a","acknowledged":true}]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":2,"predefinedTopics":[],"registrations":[{"id":1,"topic":"a/#","acknowledged":true}]}"#,
            #"{"version":1,"maximumRegistrations":1,"nextTopicID":2,"predefinedTopics":[],"registrations":[{"id":1,"topic":"a","acknowledged":true},{"id":2,"topic":"b","acknowledged":true}]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":1,"predefinedTopics":[{"id":0,"topic":"a"}],"registrations":[]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":1,"predefinedTopics":[{"id":1,"topic":"a"},{"id":1,"topic":"b"}],"registrations":[]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":1,"predefinedTopics":[{"id":1,"topic":"a"},{"id":2,"topic":"a"}],"registrations":[]}"#,
            #"{"version":1,"maximumRegistrations":10,"nextTopicID":1,"registrations":[]}"#,
        ])
    func damagedFileIsRefused(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TopicRegistry.self, from: Data(json.utf8))
        }
    }

    @Test("§6.7: after decoding, the current configuration's predefined topics replace the persisted ones")
    func predefinedReplacedAfterDecoding() throws {
        var registry = TopicRegistry(predefinedTopics: try PredefinedTopics([1: "old"]))
        let id = try registry.register("kept").get()
        var restored = try roundTrip(registry)
        restored.predefinedTopics = try PredefinedTopics([2: "new"])
        #expect(restored.topicName(for: .predefined(1)) == .failure(.invalidTopicID))
        #expect(restored.topicName(for: .predefined(2)) == .success("new"))
        #expect(restored.topicName(for: .normal(id)) == .success("kept"))
    }
}
