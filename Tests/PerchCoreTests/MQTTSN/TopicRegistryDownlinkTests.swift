import MQTTSNCodec
import PerchCore
import Testing

/// Gateway → client REGISTER before a PUBLISH the client has no id for (MQTT-SN v1.2 §6.10, §5.4.11).
@Suite("TopicRegistry: downlink registration")
struct TopicRegistryDownlinkTests {
    @Test("§6.10: a topic the client does not know gets a new id that is pending until REGACK")
    func newTopicIsPending() throws {
        var registry = TopicRegistry()
        let registration = try registry.registrationForDownlink("alerts/fire").get()
        #expect(registration.isNew)
        #expect(registration.id == 0x0001)
        #expect(!registry.isUsable(id: registration.id))
        // Until the REGACK the client cannot have the mapping: its PUBLISH with the id is refused.
        #expect(registry.topicName(for: .normal(registration.id)) == .failure(.invalidTopicID))
        // The REGISTER can be sent again with the same name.
        #expect(registry.registeredName(id: registration.id) == "alerts/fire")
    }

    @Test("§6.10: a second message for a pending topic reuses the id and is not new")
    func pendingTopicIsNotNewAgain() throws {
        var registry = TopicRegistry()
        let first = try registry.registrationForDownlink("alerts/fire").get()
        let second = try registry.registrationForDownlink("alerts/fire").get()
        #expect(second == DownlinkRegistration(id: first.id, isNew: false))
        #expect(!registry.isUsable(id: second.id))
        #expect(registry.count == 1)
    }

    @Test("§5.4.11: an accepting REGACK makes the id usable in both directions")
    func acknowledgeMakesUsable() throws {
        var registry = TopicRegistry()
        let registration = try registry.registrationForDownlink("alerts/fire").get()
        let isKnown = registry.acknowledge(id: registration.id)
        #expect(isKnown)
        #expect(registry.isUsable(id: registration.id))
        #expect(registry.topicName(for: .normal(registration.id)) == .success("alerts/fire"))
        #expect(try registry.registrationForDownlink("alerts/fire").get() == DownlinkRegistration(id: registration.id, isNew: false))
        // A duplicate REGACK changes nothing.
        let isStillKnown = registry.acknowledge(id: registration.id)
        #expect(isStillKnown)
        #expect(registry.isUsable(id: registration.id))
    }

    @Test("§5.4.11: a REGACK for an id never assigned is reported and changes nothing")
    func acknowledgeUnknownID() {
        var registry = TopicRegistry()
        let before = registry
        let isKnown = registry.acknowledge(id: 7)
        #expect(!isKnown)
        #expect(!registry.isUsable(id: 7))
        #expect(registry == before)
    }

    @Test("§6.10: a topic the client registered itself is usable at once and needs no REGISTER")
    func clientRegisteredTopic() throws {
        var registry = TopicRegistry()
        let id = try registry.register("cmd/valve").get()
        #expect(try registry.registrationForDownlink("cmd/valve").get() == DownlinkRegistration(id: id, isNew: false))
        #expect(registry.isUsable(id: id))
    }

    @Test("§6.5: the client's own REGISTER of a pending name returns the pending id and makes it usable")
    func clientRegisterCompletesPending() throws {
        var registry = TopicRegistry()
        let pending = try registry.registrationForDownlink("cmd/valve").get()
        #expect(try registry.register("cmd/valve").get() == pending.id)
        #expect(registry.isUsable(id: pending.id))
    }

    @Test("§5.4.11: a refused REGISTER is withdrawn, freeing its slot; an acknowledged id is never withdrawn")
    func withdraw() throws {
        var registry = TopicRegistry(maximumRegistrations: 2)
        let kept = try registry.register("kept").get()
        let refused = try registry.registrationForDownlink("refused").get()
        #expect(registry.registrationForDownlink("third") == .failure(.congestion))
        #expect(registry.withdraw(id: refused.id) == "refused")
        #expect(registry.registeredName(id: refused.id) == nil)
        #expect(registry.count == 1)
        #expect(registry.withdraw(id: kept) == nil)
        #expect(registry.isUsable(id: kept))
        // The freed slot can be used, and the withdrawn name is new again.
        let again = try registry.registrationForDownlink("refused").get()
        #expect(again.isNew)
        #expect(again.id != refused.id) // ids are not reused soon after being withdrawn
    }

    @Test("§5.3.10: at the client's bound a new downlink topic is congestion")
    func downlinkBound() throws {
        var registry = TopicRegistry(maximumRegistrations: 1)
        _ = try registry.registrationForDownlink("a").get()
        #expect(registry.registrationForDownlink("b") == .failure(.congestion))
        #expect(try registry.registrationForDownlink("a").get().isNew == false)
    }

    @Test("MQTT 5.0 §4.7: a string that is not a topic name is never registered for the downlink", arguments: ["", "a/#", "a\u{0}"])
    func invalidDownlinkTopic(topic: String) {
        var registry = TopicRegistry()
        #expect(registry.registrationForDownlink(topic) == .failure(.notSupported))
        #expect(registry.count == 0)
    }

    @Test("§6.7: a predefined topic is found in the predefined table, with no REGISTER needed")
    func predefinedDownlink() throws {
        let registry = TopicRegistry(predefinedTopics: try PredefinedTopics([9: "cmd/all"]))
        #expect(registry.predefinedTopics.idsByName["cmd/all"] == 9)
        #expect(registry.predefinedTopics.idsByName["cmd/other"] == nil)
    }
}
