import MQTTSNCodec
import PerchCore
import Testing

/// The topic a client's PUBLISH refers to (MQTT-SN v1.2 §5.3.11, §6.5, §6.7).
@Suite("TopicRegistry: resolving a PUBLISH's topic")
struct TopicRegistryResolutionTests {
    private static let predefined: [UInt16: String] = [1: "sensors/temperature", 2: "sensors/humidity", 0xFFFE: "last"]

    private func makeRegistry() throws -> TopicRegistry {
        TopicRegistry(predefinedTopics: try PredefinedTopics(Self.predefined))
    }

    @Test("§6.5: a registered normal id resolves to its name")
    func registeredNormalID() throws {
        var registry = try makeRegistry()
        let id = try registry.register("room/1/co2").get()
        #expect(registry.topicName(for: .normal(id)) == .success("room/1/co2"))
    }

    @Test("§6.5: an unregistered normal id is 'rejected: invalid topic ID'", arguments: [0x0000, 0x0001, 0x0002, 0xFFFF] as [UInt16])
    func unknownNormalID(id: UInt16) throws {
        var registry = try makeRegistry()
        _ = try registry.register("only/one").get()
        let expected: Result<String, TopicRegistryError> = id == 0x0001 ? .success("only/one") : .failure(.invalidTopicID)
        #expect(registry.topicName(for: .normal(id)) == expected)
        if id != 0x0001 {
            #expect(registry.topicName(for: .normal(id)).failureReturnCode == .rejectedInvalidTopicID)
        }
    }

    @Test("§6.5 with §5.3.11: the reserved ids resolve to nothing even in a full registry")
    func reservedIDsNeverResolve() throws {
        var registry = TopicRegistry(maximumRegistrations: 10)
        for index in 0..<10 { _ = try registry.register("t/\(index)").get() }
        #expect(registry.topicName(for: .normal(0x0000)) == .failure(.invalidTopicID))
        #expect(registry.topicName(for: .normal(0xFFFF)) == .failure(.invalidTopicID))
    }

    @Test("§6.7: a configured predefined id resolves to its configured name, with no registration")
    func predefinedID() throws {
        let registry = try makeRegistry()
        #expect(registry.topicName(for: .predefined(1)) == .success("sensors/temperature"))
        #expect(registry.topicName(for: .predefined(0xFFFE)) == .success("last"))
        #expect(registry.count == 0)
    }

    @Test("§6.7: an unknown predefined id is 'rejected: invalid topic ID'")
    func unknownPredefinedID() throws {
        let registry = try makeRegistry()
        #expect(registry.topicName(for: .predefined(3)) == .failure(.invalidTopicID))
        #expect(registry.topicName(for: .predefined(0)) == .failure(.invalidTopicID))
    }

    @Test("§6.7: predefined and normal ids are separate spaces: normal id 1 is not predefined id 1")
    func predefinedAndNormalAreSeparate() throws {
        var registry = try makeRegistry()
        #expect(registry.topicName(for: .normal(1)) == .failure(.invalidTopicID))
        let id = try registry.register("x/y").get()
        #expect(id == 1)
        #expect(registry.topicName(for: .normal(1)) == .success("x/y"))
        #expect(registry.topicName(for: .predefined(1)) == .success("sensors/temperature"))
    }

    @Test("§6.7: registering a predefined topic's name gives a normal id of its own")
    func registeringPredefinedName() throws {
        var registry = try makeRegistry()
        let id = try registry.register("sensors/temperature").get()
        #expect(registry.topicName(for: .normal(id)) == .success("sensors/temperature"))
    }

    @Test("§6.7: a short topic name is the two characters themselves", arguments: ["ab", "t1", "/a", "a/", "$x", "é"])
    func shortName(name: String) throws {
        let registry = try makeRegistry()
        let shortName = try #require(MQTTSNShortTopicName(name))
        #expect(registry.topicName(for: .shortName(shortName)) == .success(name))
        #expect(registry.count == 0)
    }

    @Test(
        "§6.7 with MQTT 5.0 §4.7: a short name that is no valid topic name is 'rejected: not supported'",
        arguments: [
            MQTTSNShortTopicName(UInt8(ascii: "a"), UInt8(ascii: "+")),
            MQTTSNShortTopicName(UInt8(ascii: "#"), UInt8(ascii: "a")),
            MQTTSNShortTopicName(0x00, UInt8(ascii: "a")),
            MQTTSNShortTopicName(0xFF, 0xFE),
        ])
    func invalidShortName(shortName: MQTTSNShortTopicName) throws {
        let registry = try makeRegistry()
        #expect(registry.topicName(for: .shortName(shortName)) == .failure(.notSupported))
    }

    @Test("§6.5: registeredName gives the name under an id, and nil for an unknown one")
    func registeredName() throws {
        var registry = try makeRegistry()
        let id = try registry.register("a/b").get()
        #expect(registry.registeredName(id: id) == "a/b")
        #expect(registry.registeredName(id: id + 1) == nil)
    }
}
