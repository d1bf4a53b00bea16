@testable import CoAPServer
import Testing

/// The observer count behind the upstream subscription (RFC 7641).
struct ObserverRegistryTests {
    private let a = ObserverRegistry.Key(session: 1, token: [1])
    private let b = ObserverRegistry.Key(session: 2, token: [7, 7])

    @Test func firstObserverSubscribesAndLastUnsubscribes() {
        var registry = ObserverRegistry()
        #expect(registry.register(a, topic: "t") == .subscribe("t"))
        #expect(registry.register(b, topic: "t") == .none)
        #expect(registry.count(of: "t") == 2)
        #expect(registry.deregister(a) == .none)
        #expect(registry.deregister(b) == .unsubscribe("t"))
        #expect(registry.count(of: "t") == 0)
    }

    @Test func reRegistrationAndUnknownDeregistrationChangeNothing() {
        var registry = ObserverRegistry()
        #expect(registry.register(a, topic: "t") == .subscribe("t"))
        // A notification replays the registering request: same key.
        #expect(registry.register(a, topic: "t") == .none)
        #expect(registry.count(of: "t") == 1)
        #expect(registry.deregister(b) == .none)
        #expect(registry.count(of: "t") == 1)
    }

    @Test func aDeletedResourceTakesItsObservationsWithIt() {
        var registry = ObserverRegistry()
        let c = ObserverRegistry.Key(session: 3, token: [3])
        #expect(registry.register(a, topic: "t", resource: 10) == .subscribe("t"))
        #expect(registry.register(b, topic: "t", resource: 20) == .none)
        #expect(registry.register(c, topic: "u", resource: 10) == .subscribe("u"))
        #expect(registry.removeResource(10) == ["u"], "t is still observed through resource 20")
        #expect(registry.count(of: "t") == 1)
        #expect(registry.total == 1)
        #expect(registry.removeResource(10) == [])
        #expect(registry.deregister(b) == .unsubscribe("t"))
    }

    @Test func anEndedSessionTakesItsObservationsWithIt() {
        var registry = ObserverRegistry()
        _ = registry.register(a, topic: "t")
        _ = registry.register(ObserverRegistry.Key(session: 1, token: [2]), topic: "u")
        _ = registry.register(b, topic: "u")
        #expect(registry.removeSession(1) == ["t"])
        #expect(registry.count(of: "u") == 1)
        #expect(registry.removeAll() == ["u"])
        #expect(registry.count(of: "u") == 0)
    }
}
