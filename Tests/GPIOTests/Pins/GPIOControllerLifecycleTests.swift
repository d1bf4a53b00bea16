import GPIO
import PerchCore
import Testing

/// `initial: on | off | restore` and `on_exit: keep | initial | off` (SPEC §6).
@Suite struct GPIOControllerLifecycleTests {
    @Test func initialValuesComeFromTheConfigurationOrTheSavedState() {
        let controller = GPIOController<PinInstant>(
            pins: [
                .output("on", initial: .on), .output("off", initial: .off),
                .output("savedOn", initial: .restore), .output("savedOff", initial: .restore),
                .output("neverSaved", initial: .restore), .output("ignoresSaved", initial: .off),
                .input("door"),
            ],
            restored: ["savedOn": true, "savedOff": false, "ignoresSaved": true, "door": true]
        )
        #expect(controller.initialValue(ofOutput: "on") == true)
        #expect(controller.initialValue(ofOutput: "off") == false)
        #expect(controller.initialValue(ofOutput: "savedOn") == true)
        #expect(controller.initialValue(ofOutput: "savedOff") == false)
        #expect(controller.initialValue(ofOutput: "neverSaved") == false)
        #expect(controller.initialValue(ofOutput: "ignoresSaved") == false)
        #expect(controller.initialValue(ofOutput: "door") == nil)
        #expect(controller.initialValue(ofOutput: "nope") == nil)
        #expect(controller.initialValue(ofOutput: "ON") == nil)
    }

    @Test func aRestorePinSavesTheCommandedStateAfterTheReadBack() {
        var bench = PinBench([.output("relay1", initial: .restore)])
        #expect(bench.command("relay1", "ON", at: ms(0)) == [
            .drive(pin: "relay1", active: true), .publishState(pin: "relay1", active: true),
            .saveState(pin: "relay1", active: true),
        ])
        #expect(bench.command("relay1", "TOGGLE", at: ms(10)).last == .saveState(pin: "relay1", active: false))
    }

    @Test func theSavedStateIsWhatWasCommandedEvenIfTheLineDidNotFollow() {
        var bench = PinBench([.output("relay1", initial: .restore)])
        bench.stuck["relay1"] = false
        #expect(bench.command("relay1", "ON", at: ms(0)).suffix(2) == [
            .publishState(pin: "relay1", active: false), .saveState(pin: "relay1", active: true),
        ])
    }

    @Test(arguments: [PinInitialState.on, .off])
    func otherPinsNeverSave(initial: PinInitialState) {
        var bench = PinBench([.output("relay1", initial: initial)])
        var all = bench.start()
        all += bench.command("relay1", "ON", at: ms(0))
        all += bench.command("relay1", #"{"pulse_ms": 10}"#, at: ms(10))
        all += bench.expire(at: ms(20))
        all += bench.stop(at: ms(30))
        #expect(!all.contains { if case .saveState = $0 { true } else { false } })
    }

    @Test func aPulseSavesOffSinceThatIsTheStateItLeaves() {
        var bench = PinBench([.output("relay1", initial: .restore)])
        #expect(bench.command("relay1", #"{"pulse_ms": 100}"#, at: ms(0)).last == .saveState(pin: "relay1", active: false))
        #expect(bench.expire(at: ms(100)) == [.drive(pin: "relay1", active: false), .publishState(pin: "relay1", active: false)])
    }

    @Test func startAndStopDrivesAreNotSaved() {
        var bench = PinBench([.output("relay1", initial: .restore, onExit: .off)], restored: ["relay1": true])
        #expect(bench.start() == [.drive(pin: "relay1", active: true), .publishState(pin: "relay1", active: true)])
        #expect(bench.stop(at: ms(10)) == [.drive(pin: "relay1", active: false), .publishState(pin: "relay1", active: false)])
    }

    @Test func onExitKeepLeavesThePin() {
        var bench = PinBench([.output("relay1", initial: .off, onExit: .keep)])
        _ = bench.command("relay1", "ON", at: ms(0))
        #expect(bench.stop(at: ms(10)) == [])
        #expect(bench.lines["relay1"] == true)
    }

    @Test(arguments: [(PinInitialState.on, true), (.off, false)])
    func onExitInitialGoesBackToTheInitialValue(initial: PinInitialState, value: Bool) {
        var bench = PinBench([.output("relay1", initial: initial, onExit: .initial)])
        _ = bench.command("relay1", value ? "OFF" : "ON", at: ms(0))
        #expect(bench.stop(at: ms(10)).first == .drive(pin: "relay1", active: value))
        #expect(bench.lines["relay1"] == value)
    }

    @Test func onExitInitialOfARestorePinGoesBackToTheRestoredValue() {
        var bench = PinBench([.output("relay1", initial: .restore, onExit: .initial)], restored: ["relay1": true])
        _ = bench.command("relay1", "OFF", at: ms(0))
        #expect(bench.stop(at: ms(10)).first == .drive(pin: "relay1", active: true))
    }

    @Test func onExitOffTurnsOff() {
        var bench = PinBench([.output("relay1", initial: .on, onExit: .off)])
        _ = bench.command("relay1", "ON", at: ms(0))
        #expect(bench.stop(at: ms(10)) == [.drive(pin: "relay1", active: false), .publishState(pin: "relay1", active: false)])
    }

    @Test func stopCancelsPendingPulses() {
        var bench = PinBench([.output("relay1", onExit: .initial), .output("relay2", initial: .on, onExit: .initial)])
        _ = bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(0))
        _ = bench.command("relay2", #"{"pulse_ms": 500}"#, at: ms(0))
        #expect(bench.stop(at: ms(100)).compactMap { if case let .drive(pin, value) = $0 { "\(pin)=\(value)" } else { nil } } == ["relay1=false", "relay2=true"])
        #expect(bench.controller.nextDeadline == nil)
        #expect(bench.expire(at: ms(500)) == [])
    }

    @Test func aKeepPinStoppedDuringAPulseIsCutShortRatherThanLeftOn() {
        var bench = PinBench([.output("relay1", onExit: .keep)])
        _ = bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(0))
        #expect(bench.stop(at: ms(100)) == [.drive(pin: "relay1", active: false), .publishState(pin: "relay1", active: false)])
        #expect(bench.expire(at: ms(500)) == [])
    }

    @Test func afterStopCommandsEdgesAndTimersAreIgnored() {
        var bench = PinBench([.output("relay1"), .input("door", debounce: .milliseconds(50))])
        _ = bench.start()
        _ = bench.edge("door", at: ms(0))
        _ = bench.stop(at: ms(10))
        #expect(bench.controller.nextDeadline == nil)
        #expect(bench.command("relay1", "ON", at: ms(20)) == [])
        #expect(bench.command("nope", "ON", at: ms(20)) == [])
        #expect(bench.edge("door", at: ms(30)) == [])
        #expect(bench.expire(at: ms(100)) == [])
        #expect(bench.stop(at: ms(110)) == [])
        #expect(bench.start(at: ms(120)) == [])
        #expect(bench.controller.refusedCount == 0)
    }

    @Test func restoreAcrossARestart() {
        var first = PinBench([.output("relay1", initial: .restore)])
        _ = first.start()
        let saved = first.command("relay1", "ON", at: ms(0)).compactMap { action -> (String, Bool)? in
            if case let .saveState(pin, active) = action { (pin, active) } else { nil }
        }
        let restored = Dictionary(saved, uniquingKeysWith: { _, last in last })
        var second = PinBench([.output("relay1", initial: .restore)], restored: restored)
        #expect(second.controller.initialValue(ofOutput: "relay1") == true)
        #expect(second.start().first == .drive(pin: "relay1", active: true))
    }
}
