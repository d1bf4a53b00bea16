import GPIO
import PerchCore
import Testing

/// Inputs: published at start and on every debounced change (SPEC §6).
@Suite struct GPIOControllerInputTests {
    @Test(arguments: [false, true])
    func theFirstReadIsAlwaysPublished(level: Bool) {
        var bench = PinBench([.input("door")])
        bench.lines["door"] = level
        #expect(bench.start() == [.read(pin: "door"), .publishState(pin: "door", active: level)])
        #expect(bench.controller.states == ["door": level])
    }

    @Test func withoutDebounceAnEdgeIsReadAtOnce() {
        var bench = PinBench([.input("door")])
        _ = bench.start()
        bench.lines["door"] = true
        #expect(bench.edge("door", at: ms(10)) == [.read(pin: "door"), .publishState(pin: "door", active: true)])
        #expect(bench.controller.nextDeadline == nil)
    }

    @Test func aLevelEqualToThePublishedOneIsNotPublished() {
        var bench = PinBench([.input("door")])
        _ = bench.start()
        // An edge and its opposite faster than the read: the level is back where it was.
        #expect(bench.edge("door", at: ms(10)) == [.read(pin: "door")])
        #expect(bench.controller.states == ["door": false])
    }

    @Test func bouncingEdgesWithinTheWindowGiveOneReadAndOnePublish() {
        var bench = PinBench([.input("door", debounce: .milliseconds(50))])
        _ = bench.start()
        for (index, time) in [1_000, 1_005, 1_012, 1_030].enumerated() {
            bench.lines["door"] = index % 2 == 0
            #expect(bench.edge("door", at: ms(time)) == [])
        }
        bench.lines["door"] = true
        // Each edge restarted the window: it closes 50 ms after the last one.
        #expect(bench.controller.nextDeadline == ms(1_080))
        #expect(bench.expire(at: ms(1_079)) == [])
        #expect(bench.expire(at: ms(1_080)) == [.read(pin: "door"), .publishState(pin: "door", active: true)])
        #expect(bench.controller.nextDeadline == nil)
        #expect(bench.expire(at: ms(2_000)) == [])
    }

    @Test func bouncingBackToThePublishedLevelPublishesNothing() {
        var bench = PinBench([.input("door", debounce: .milliseconds(50))])
        _ = bench.start()
        bench.lines["door"] = true
        _ = bench.edge("door", at: ms(100))
        bench.lines["door"] = false
        _ = bench.edge("door", at: ms(110))
        #expect(bench.expire(at: ms(160)) == [.read(pin: "door")])
        #expect(bench.controller.states == ["door": false])
    }

    @Test func everyDebouncedChangeIsPublished() {
        var bench = PinBench([.input("door", debounce: .milliseconds(20))])
        _ = bench.start()
        var published: [Bool] = []
        for (index, time) in stride(from: 100, through: 500, by: 100).enumerated() {
            bench.lines["door"] = index % 2 == 0
            _ = bench.edge("door", at: ms(time))
            for case let .publishState(_, active) in bench.expire(at: ms(time + 20)) { published.append(active) }
        }
        #expect(published == [true, false, true, false, true])
    }

    @Test func debounceWindowsOfSeveralInputsAreIndependent() {
        var bench = PinBench([.input("a", debounce: .milliseconds(50)), .input("b", debounce: .milliseconds(10))])
        _ = bench.start()
        bench.lines["a"] = true
        bench.lines["b"] = true
        _ = bench.edge("a", at: ms(0))
        _ = bench.edge("b", at: ms(5))
        #expect(bench.expire(at: ms(15)) == [.read(pin: "b"), .publishState(pin: "b", active: true)])
        #expect(bench.controller.nextDeadline == ms(50))
        #expect(bench.expire(at: ms(50)) == [.read(pin: "a"), .publishState(pin: "a", active: true)])
    }

    @Test func aWindowExpiringWithAPulseComesInDeadlineOrder() {
        var bench = PinBench([.output("relay1"), .input("door", debounce: .milliseconds(30))])
        _ = bench.command("relay1", #"{"pulse_ms": 40}"#, at: ms(0))
        _ = bench.edge("door", at: ms(0))
        #expect(bench.expire(at: ms(100)).filter { if case .publishState = $0 { false } else { true } } == [
            .read(pin: "door"), .drive(pin: "relay1", active: false),
        ])
    }
}
