import MQTTSNCodec
import PerchCore
import Testing

/// The topic of a client's SUBSCRIBE → the SUBACK's TopicId or return code
/// (MQTT-SN v1.2 §6.9, §5.4.15, §5.4.16).
@Suite("TopicRegistry: subscriptions")
struct TopicRegistrySubscribeTests {
    @Test("§5.4.16: a filter with wildcards gets no id: the SUBACK carries 0x0000", arguments: ["a/+", "a/#", "#", "+/b/+", "+"])
    func wildcardFilter(filter: String) throws {
        var registry = TopicRegistry()
        let grant = try registry.subscription(to: .name(filter)).get()
        #expect(grant.topicID == 0x0000)
        #expect(grant.topicID == TopicRegistry.noTopicID)
        #expect(grant.downlinkTopic == nil)
        #expect(try grant.filter == TopicFilter(filter))
        #expect(registry.count == 0)
    }

    @Test("§5.4.16: a plain name is registered and the SUBACK carries its id, usable at once")
    func plainName() throws {
        var registry = TopicRegistry()
        let grant = try registry.subscription(to: .name("cmd/valve")).get()
        #expect(grant.topicID == 0x0001)
        #expect(grant.downlinkTopic == .normal(0x0001))
        #expect(registry.isUsable(id: grant.topicID))
        #expect(try registry.register("cmd/valve").get() == grant.topicID)
        #expect(try registry.subscription(to: .name("cmd/valve")).get() == grant)
    }

    @Test("§6.9: a two-character name subscribed by name gets a normal id, as the client asked")
    func twoCharacterName() throws {
        var registry = TopicRegistry()
        let grant = try registry.subscription(to: .name("ab")).get()
        #expect(grant.topicID == 0x0001)
        #expect(grant.downlinkTopic == .normal(0x0001))
    }

    @Test(
        "§6.9 with MQTT 5.0 §4.7: an invalid filter or a shared subscription is 'rejected: not supported'",
        arguments: ["", "a/b#", "a+/b", "#/a", "a\u{0}", "$share/g/a"])
    func invalidFilter(filter: String) {
        var registry = TopicRegistry()
        let result = registry.subscription(to: .name(filter))
        #expect(result == .failure(.notSupported))
        #expect(result.failureReturnCode == .rejectedNotSupported)
    }

    @Test("§5.3.10: subscribing to a new plain name at the bound is congestion; a wildcard filter still works")
    func subscribeAtBound() throws {
        var registry = TopicRegistry(maximumRegistrations: 1)
        _ = try registry.register("a").get()
        #expect(registry.subscription(to: .name("b")) == .failure(.congestion))
        #expect(try registry.subscription(to: .name("b/#")).get().topicID == 0x0000)
    }

    @Test("§6.7: a configured predefined id is granted and the SUBACK repeats it")
    func predefined() throws {
        var registry = TopicRegistry(predefinedTopics: try PredefinedTopics([5: "cmd/all"]))
        let grant = try registry.subscription(to: .predefined(5)).get()
        #expect(try grant == SubscriptionGrant(filter: TopicFilter("cmd/all"), topicID: 5, downlinkTopic: .predefined(5)))
        #expect(registry.count == 0)
    }

    @Test("§6.7: subscribing to an unknown predefined id is 'rejected: invalid topic ID'")
    func unknownPredefined() throws {
        var registry = TopicRegistry(predefinedTopics: try PredefinedTopics([5: "cmd/all"]))
        #expect(registry.subscription(to: .predefined(6)) == .failure(.invalidTopicID))
    }

    @Test("MQTT 5.0 §4.8.2: a predefined topic that reads as a shared subscription is not supported")
    func predefinedSharedPrefix() throws {
        var registry = TopicRegistry(predefinedTopics: try PredefinedTopics([5: "$share/g/t"]))
        #expect(registry.subscription(to: .predefined(5)) == .failure(.notSupported))
    }

    @Test("§6.7: a short name subscribes to its two characters; the SUBACK carries 0x0000")
    func shortName() throws {
        var registry = TopicRegistry()
        let shortName = try #require(MQTTSNShortTopicName("t1"))
        let grant = try registry.subscription(to: .shortName(shortName)).get()
        #expect(try grant == SubscriptionGrant(filter: TopicFilter("t1"), topicID: 0x0000, downlinkTopic: .shortName(shortName)))
        #expect(registry.count == 0)
    }

    @Test("§6.7: wildcards in a short name make no sense and are 'rejected: not supported'", arguments: ["a+", "+/", "#a", "/#"])
    func wildcardShortName(name: String) throws {
        var registry = TopicRegistry()
        let shortName = try #require(MQTTSNShortTopicName(name))
        #expect(registry.subscription(to: .shortName(shortName)) == .failure(.notSupported))
    }
}
