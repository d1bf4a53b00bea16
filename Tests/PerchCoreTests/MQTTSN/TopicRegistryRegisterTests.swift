import MQTTSNCodec
import PerchCore
import Testing

/// A client's REGISTER → the REGACK's id or return code (MQTT-SN v1.2 §6.5, §5.3.10, §5.3.11).
@Suite("TopicRegistry: client registration")
struct TopicRegistryRegisterTests {
    @Test("§6.5: a new name gets an id, the same name registered again gets the same id")
    func sameNameSameID() throws {
        var registry = TopicRegistry()
        let first = try registry.register("sensors/temperature").get()
        let second = try registry.register("sensors/humidity").get()
        #expect(first != second)
        #expect(try registry.register("sensors/temperature").get() == first)
        #expect(try registry.register("sensors/humidity").get() == second)
        #expect(registry.count == 2)
    }

    @Test("§5.3.11: the first id assigned is 0x0001, never the reserved 0x0000")
    func firstIDIsOne() throws {
        var registry = TopicRegistry()
        #expect(try registry.register("a").get() == 0x0001)
    }

    @Test(
        "§6.5 with MQTT 5.0 §4.7: an invalid topic name is refused as 'rejected: not supported'",
        arguments: ["", "a/+/b", "a/#", "#", "+", "a\u{0}b", "sport+"])
    func invalidNameIsNotSupported(name: String) {
        var registry = TopicRegistry()
        let result = registry.register(name)
        #expect(result == .failure(.notSupported))
        #expect(result.failureReturnCode == .rejectedNotSupported)
        #expect(registry.count == 0)
    }

    @Test("§6.5: names that differ only in case, spaces or a trailing '/' are different topics")
    func namesAreExact() throws {
        var registry = TopicRegistry()
        let ids = try ["a/b", "A/b", "a/b/", "/a/b", "a /b", "水/b"].map { try registry.register($0).get() }
        #expect(Set(ids).count == 6)
    }

    @Test("§5.3.10: registrations past the client's bound are 'rejected: congestion'")
    func boundGivesCongestion() throws {
        var registry = TopicRegistry(maximumRegistrations: 3)
        for index in 0..<3 { _ = try registry.register("t/\(index)").get() }
        let refused = registry.register("t/3")
        #expect(refused == .failure(.congestion))
        #expect(refused.failureReturnCode == .rejectedCongestion)
        // A name already held is still answered: the bound limits growth, not use.
        #expect(try registry.register("t/1").get() == 0x0002)
        #expect(registry.count == 3)
    }

    @Test("§5.3.10: the default bound is 1,000 registrations per client")
    func defaultBound() throws {
        var registry = TopicRegistry()
        #expect(registry.maximumRegistrations == TopicRegistry.defaultMaximumRegistrations)
        #expect(TopicRegistry.defaultMaximumRegistrations == 1_000)
        for index in 0..<1_000 { _ = try registry.register("t/\(index)").get() }
        #expect(registry.register("t/1000") == .failure(.congestion))
    }

    @Test("§5.3.11: the whole id space is 65,534 ids; exhausting it gives congestion, never 0x0000 or 0xFFFF")
    func idSpaceExhaustion() throws {
        var registry = TopicRegistry(maximumRegistrations: .max)
        #expect(registry.maximumRegistrations == 65_534)
        var seen = Set<UInt16>()
        for index in 0..<65_534 {
            let id = try registry.register("t/\(index)").get()
            seen.insert(id)
        }
        #expect(seen.count == 65_534)
        #expect(!seen.contains(0x0000))
        #expect(!seen.contains(0xFFFF))
        #expect(registry.register("one/more") == .failure(.congestion))
    }

    @Test("a bound of zero or less refuses every registration with congestion")
    func zeroBound() {
        var registry = TopicRegistry(maximumRegistrations: -5)
        #expect(registry.maximumRegistrations == 0)
        #expect(registry.register("a") == .failure(.congestion))
    }
}

extension Result where Failure == TopicRegistryError {
    /// The ReturnCode a REGACK, PUBACK or SUBACK would carry for a failure; `nil` on success.
    var failureReturnCode: MQTTSNReturnCode? {
        if case .failure(let error) = self { return error.returnCode }
        return nil
    }
}
