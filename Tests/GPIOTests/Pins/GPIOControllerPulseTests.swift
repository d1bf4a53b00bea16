import GPIO
import PerchCore
import Testing

/// `{"pulse_ms": N}`: on now, off N ms later; a new command cancels the end (SPEC §6, issue 6).
@Suite struct GPIOControllerPulseTests {
    @Test func aPulseDrivesOnNowAndOffExactlyAtItsDeadline() {
        var bench = PinBench([.output("relay1")])
        #expect(bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(1_000)) == [
            .drive(pin: "relay1", active: true), .publishState(pin: "relay1", active: true),
        ])
        #expect(bench.controller.nextDeadline == ms(1_500))
        #expect(bench.expire(at: ms(1_499)) == [])
        #expect(bench.controller.states["relay1"] == true)
        #expect(bench.expire(at: ms(1_500)) == [.drive(pin: "relay1", active: false), .publishState(pin: "relay1", active: false)])
        #expect(bench.controller.nextDeadline == nil)
        #expect(bench.expire(at: ms(5_000)) == [])
    }

    @Test func aLateTimerStillEndsThePulseOnce() {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", #"{"pulse_ms": 10}"#, at: ms(0))
        #expect(bench.expire(at: ms(900)) == [.drive(pin: "relay1", active: false), .publishState(pin: "relay1", active: false)])
        #expect(bench.expire(at: ms(901)) == [])
    }

    @Test(arguments: ["OFF", "0", #"{"state": "OFF"}"#])
    func offDuringAPulseTurnsOffAndNoLaterOffComes(payload: String) {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(0))
        #expect(bench.command("relay1", payload, at: ms(100)).first == .drive(pin: "relay1", active: false))
        #expect(bench.controller.nextDeadline == nil)
        #expect(bench.expire(at: ms(500)) == [])
    }

    @Test func onDuringAPulseKeepsThePinOn() {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(0))
        _ = bench.command("relay1", "ON", at: ms(100))
        #expect(bench.controller.nextDeadline == nil)
        #expect(bench.expire(at: ms(500)) == [])
        #expect(bench.controller.states["relay1"] == true)
    }

    @Test func toggleDuringAPulseCancelsItsEnd() {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(0))
        #expect(bench.command("relay1", "TOGGLE", at: ms(100)).first == .drive(pin: "relay1", active: false))
        #expect(bench.controller.nextDeadline == nil)
        #expect(bench.expire(at: ms(500)) == [])
    }

    @Test func aPulseDuringAPulseRestartsIt() {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(0))
        #expect(bench.command("relay1", #"{"pulse_ms": 300}"#, at: ms(400)).first == .drive(pin: "relay1", active: true))
        #expect(bench.controller.nextDeadline == ms(700))
        #expect(bench.expire(at: ms(500)) == [])
        #expect(bench.expire(at: ms(699)) == [])
        #expect(bench.expire(at: ms(700)).first == .drive(pin: "relay1", active: false))
    }

    @Test func aShorterPulseDuringALongerOneEndsSooner() {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", #"{"pulse_ms": 10000}"#, at: ms(0))
        _ = bench.command("relay1", #"{"pulse_ms": 100}"#, at: ms(50))
        #expect(bench.controller.nextDeadline == ms(150))
        #expect(bench.expire(at: ms(150)).first == .drive(pin: "relay1", active: false))
        #expect(bench.expire(at: ms(10_000)) == [])
    }

    @Test(arguments: ["MAYBE", ""])
    func aRefusedCommandLeavesThePulseRunning(payload: String) {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(0))
        #expect(bench.command("relay1", payload, at: ms(100)).count == 1)
        #expect(bench.controller.nextDeadline == ms(500))
        #expect(bench.expire(at: ms(500)).first == .drive(pin: "relay1", active: false))
    }

    @Test func aRateLimitedCommandLeavesThePulseRunning() {
        var bench = PinBench([.output("relay1")], limits: GPIOLimits(commandBurst: 1, commandsPerSecond: 1))
        _ = bench.command("relay1", #"{"pulse_ms": 500}"#, at: ms(0))
        #expect(bench.command("relay1", "OFF", at: ms(100)) == [.refuse(pin: "relay1", reason: .rateLimited, log: true)])
        #expect(bench.controller.nextDeadline == ms(500))
    }

    @Test func pulsesOfSeveralPinsEndInDeadlineOrder() {
        var bench = PinBench([.output("a"), .output("b"), .output("c")])
        _ = bench.command("a", #"{"pulse_ms": 300}"#, at: ms(0))
        _ = bench.command("b", #"{"pulse_ms": 100}"#, at: ms(0))
        _ = bench.command("c", #"{"pulse_ms": 200}"#, at: ms(0))
        #expect(bench.controller.nextDeadline == ms(100))
        let ended = bench.expire(at: ms(1_000)).compactMap { action -> String? in
            if case let .drive(pin, false) = action { pin } else { nil }
        }
        #expect(ended == ["b", "c", "a"])
    }

    @Test func theNextDeadlineIsTheEarliestOfPulsesAndDebounces() {
        var bench = PinBench([.output("relay1"), .input("door", debounce: .milliseconds(50))])
        _ = bench.command("relay1", #"{"pulse_ms": 100}"#, at: ms(0))
        _ = bench.edge("door", at: ms(20))
        #expect(bench.controller.nextDeadline == ms(70))
        _ = bench.expire(at: ms(70))
        #expect(bench.controller.nextDeadline == ms(100))
    }
}
