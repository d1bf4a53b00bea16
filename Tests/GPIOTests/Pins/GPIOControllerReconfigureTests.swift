import GPIO
import PerchCore
import Testing

/// A new `gpio.pins` on reload: kept, updated, released and added pins.
@Suite struct GPIOControllerReconfigureTests {
    static func relay2(activeLow: Bool = false) -> GPIOPin {
        GPIOPin(name: "relay2", line: .name("GPIO22"), direction: .output, activeLow: activeLow, initial: .on)
    }

    @Test func theSameListChangesNothing() {
        var bench = PinBench([.output("relay1"), .input("door")])
        _ = bench.start()
        let (changes, actions) = bench.reconfigure([.output("relay1"), .input("door")], at: ms(10))
        #expect(changes.isEmpty)
        #expect(actions.isEmpty)
    }

    @Test func aNewPinIsAddedAndStartsAsAtAStart() {
        var bench = PinBench([.output("relay1")])
        _ = bench.start()
        _ = bench.command("relay1", "ON", at: ms(5))
        let (changes, actions) = bench.reconfigure([.output("relay1"), Self.relay2(), .input("door")], at: ms(10))
        #expect(changes.requested.map(\.name) == ["relay2", "door"])
        #expect(changes.released.isEmpty && changes.updated.isEmpty)
        #expect(actions.contains(.drive(pin: "relay2", active: true)))
        #expect(actions.contains(.read(pin: "door")))
        #expect(!actions.contains { if case .drive(pin: "relay1", _) = $0 { true } else { false } }, "relay1 is left alone")
        #expect(bench.controller.states["relay1"] == true)
        #expect(bench.controller.states["relay2"] == true)
    }

    @Test func aRemovedPinGoesToItsOnExitStateAndIsRefusedAfterwards() {
        var bench = PinBench([.output("relay1", onExit: .off), .output("keeper")])
        _ = bench.start()
        _ = bench.command("relay1", "ON", at: ms(5))
        _ = bench.command("keeper", "ON", at: ms(6))
        let (changes, actions) = bench.reconfigure([], at: ms(10))
        #expect(Set(changes.released.map(\.name)) == ["relay1", "keeper"])
        #expect(actions == [.drive(pin: "relay1", active: false)], "on_exit off drives; keep leaves")
        #expect(bench.controller.states.isEmpty)
        let refused = bench.command("relay1", "ON", at: ms(20))
        #expect(!refused.contains { if case .drive = $0 { true } else { false } })
    }

    @Test func aChangedLineSettingReleasesAndRequestsAgain() {
        var bench = PinBench([Self.relay2()])
        _ = bench.start()
        let (changes, _) = bench.reconfigure([Self.relay2(activeLow: true)], at: ms(10))
        #expect(changes.released.map(\.activeLow) == [false])
        #expect(changes.requested.map(\.activeLow) == [true])
        #expect(changes.updated.isEmpty)
    }

    @Test func onExitAndInitialChangesKeepTheLineAndTheLevel() {
        var bench = PinBench([.output("relay1", onExit: .keep)])
        _ = bench.start()
        _ = bench.command("relay1", "ON", at: ms(5))
        let (changes, actions) = bench.reconfigure([.output("relay1", initial: .on, onExit: .off)], at: ms(10))
        #expect(changes.updated.map(\.name) == ["relay1"])
        #expect(changes.released.isEmpty && changes.requested.isEmpty)
        #expect(actions.isEmpty)
        #expect(bench.controller.states["relay1"] == true)
        // The new on_exit applies at the stop.
        #expect(bench.stop(at: ms(20)).first == .drive(pin: "relay1", active: false))
    }
}
