import PerchCore
import Testing

/// The configuration's predefined topics (MQTT-SN v1.2 §6.7, §5.3.11).
@Suite("PredefinedTopics: validation")
struct PredefinedTopicsTests {
    @Test("§6.7: both directions are kept: id → name and name → id")
    func bothDirections() throws {
        let topics = try PredefinedTopics([1: "a", 2: "b/c"])
        #expect(topics.namesByID == [1: "a", 2: "b/c"])
        #expect(topics.idsByName == ["a": 1, "b/c": 2])
        #expect(!topics.isEmpty)
        #expect(PredefinedTopics().isEmpty)
    }

    @Test("§5.3.11: ids 0x0000 and 0xFFFF are reserved and refused", arguments: [0x0000, 0xFFFF] as [UInt16])
    func reservedIDs(id: UInt16) {
        #expect(throws: PredefinedTopicsError.reservedID(id)) { try PredefinedTopics([id: "a", 3: "b"]) }
    }

    @Test("MQTT 5.0 §4.7: a predefined name must be a valid topic name")
    func invalidNames() {
        #expect(throws: PredefinedTopicsError.invalidName(id: 4, reason: .wildcardInTopicName)) {
            try PredefinedTopics([4: "a/+", 9: "#"])
        }
        #expect(throws: PredefinedTopicsError.invalidName(id: 2, reason: .empty)) { try PredefinedTopics([2: ""]) }
        #expect(throws: PredefinedTopicsError.invalidName(id: 2, reason: .containsNull)) { try PredefinedTopics([2: "a\u{0}"]) }
    }

    @Test("§6.7: one name under two ids is refused, naming both ids")
    func duplicateName() {
        #expect(throws: PredefinedTopicsError.duplicateName("t", firstID: 3, secondID: 7)) {
            try PredefinedTopics([7: "t", 3: "t", 5: "u"])
        }
        let description = PredefinedTopicsError.duplicateName("t", firstID: 3, secondID: 7).description
        #expect(description == "topic \"t\" is predefined under both id 3 and id 7")
    }
}
