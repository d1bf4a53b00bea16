import MQTTSNCodec
import PerchCore
import Testing

/// Random sequences of registry operations against a plain model of what they
/// must do (seeded, so every run checks the same sequences).
@Suite("TopicRegistry: seeded random operation sequences")
struct TopicRegistryPropertyTests {
    /// A small pool of names, so that the same name comes back often, plus a few
    /// invalid ones that must always be refused.
    private static let validNames = (0..<60).map { "s/\($0 % 7)/\($0)" } + ["ab", "水", "$SYS/x", "a b"]
    private static let invalidNames = ["", "a/#", "+", "a\u{0}"]

    @Test(
        "§5.3.11 and §6.5: ids are never 0x0000 or 0xFFFF, never shared by two names, and always resolve to their name",
        arguments: [1, 2, 3, 4] as [UInt64])
    func randomSequences(seed: UInt64) throws {
        var random = RegistrySplitMix64(seed: seed)
        var registry = TopicRegistry(maximumRegistrations: 40)
        var model: [String: UInt16] = [:]  // name → id, for every name still registered
        var usable: Set<UInt16> = []
        var congestions = 0
        for step in 0..<5_000 {
            let roll = Int.random(in: 0..<100, using: &random)
            let name = Self.validNames.randomElement(using: &random) ?? "s"
            switch roll {
            case 0..<35:
                switch registry.register(name) {
                case .success(let id):
                    if let known = model[name] { #expect(known == id, "step \(step)") }
                    model[name] = id
                    usable.insert(id)
                case .failure(let error):
                    #expect(error == .congestion && model[name] == nil && model.count == 40, "step \(step)")
                    congestions += 1
                }
            case 35..<60:
                switch registry.registrationForDownlink(name) {
                case .success(let registration):
                    #expect(registration.isNew == (model[name] == nil), "step \(step)")
                    if let known = model[name] { #expect(known == registration.id, "step \(step)") }
                    model[name] = registration.id
                case .failure(let error):
                    #expect(error == .congestion && model[name] == nil && model.count == 40, "step \(step)")
                    congestions += 1
                }
            case 60..<72:
                if let id = model.values.randomElement(using: &random) {
                    let isKnown = registry.acknowledge(id: id)
                    #expect(isKnown, "step \(step)")
                    usable.insert(id)
                }
            case 72..<80:
                if let (withdrawnName, id) = model.randomElement(using: &random) {
                    let withdrawn = registry.withdraw(id: id)
                    #expect((withdrawn == nil) == usable.contains(id), "step \(step)")
                    if withdrawn != nil {
                        #expect(withdrawn == withdrawnName)
                        model[withdrawnName] = nil
                    }
                }
            case 80..<85:
                let invalid = Self.invalidNames.randomElement(using: &random) ?? ""
                #expect(registry.register(invalid) == .failure(.notSupported))
            default:
                let id = UInt16.random(in: 0...UInt16.max, using: &random) % 64
                let expectedName = model.first { $0.value == id }?.key
                let expected: Result<String, TopicRegistryError> =
                    expectedName.map { usable.contains(id) ? .success($0) : .failure(.invalidTopicID) } ?? .failure(.invalidTopicID)
                #expect(registry.topicName(for: .normal(id)) == expected, "step \(step) id \(id)")
            }
            #expect(registry.count == model.count)
        }
        // Every invariant, checked on the final state as well as along the way.
        let ids = Array(model.values)
        #expect(Set(ids).count == ids.count)
        #expect(!ids.contains(0x0000) && !ids.contains(0xFFFF))
        for (name, id) in model {
            #expect(registry.registeredName(id: id) == name)
            #expect(registry.isUsable(id: id) == usable.contains(id))
        }
        // The sequences must reach the bound, or the congestion rule went untested.
        #expect(congestions > 0)
    }

    @Test("§5.3.11: the id counter wraps past 0xFFFE to 0x0001, stepping over 0xFFFF and 0x0000 and over ids in use")
    func wrapAround() throws {
        var registry = TopicRegistry(maximumRegistrations: .max)
        var random = RegistrySplitMix64(seed: 99)
        let keep: UInt16 = 1
        // Fill the space with pending ids, keep a few, withdraw the rest, then fill again.
        for index in 0..<65_534 { _ = try registry.registrationForDownlink("t/\(index)").get() }
        var kept: Set<UInt16> = [keep]
        for _ in 0..<50 { kept.insert(UInt16.random(in: 1...0xFFFE, using: &random)) }
        for id in kept { registry.acknowledge(id: id) }
        for id in UInt16(1)...0xFFFE where !kept.contains(id) { registry.withdraw(id: id) }
        #expect(registry.count == kept.count)
        var seen: Set<UInt16> = []
        for index in 0..<(65_534 - kept.count) {
            let id = try registry.registrationForDownlink("u/\(index)").get().id
            #expect(!TopicRegistryPropertyTests.isReserved(id))
            #expect(!kept.contains(id))
            seen.insert(id)
        }
        #expect(seen.count == 65_534 - kept.count)
        #expect(registry.registrationForDownlink("full") == .failure(.congestion))
    }

    private static func isReserved(_ id: UInt16) -> Bool { id == 0x0000 || id == 0xFFFF }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator, so a failing
/// sequence can be replayed.
struct RegistrySplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE5_E9B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
