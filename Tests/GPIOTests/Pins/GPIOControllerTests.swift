import GPIO
import PerchCore
import PerchTestKit
import Testing

typealias PinInstant = ManualClock.Instant

/// `t` milliseconds after the start of a test's time line.
func ms(_ milliseconds: Int) -> PinInstant { PinInstant(offset: .milliseconds(milliseconds)) }

/// The pin logic with a stand-in runtime: `.drive` sets a line and reports it
/// read back, `.read` reports a line's level, and every action is returned in
/// the order it came, follow-ups included, so tests see what a runtime would do.
struct PinBench {
    var controller: GPIOController<PinInstant>
    /// Line levels, as the runtime's chip would have them.
    var lines: [String: Bool] = [:]
    /// Outputs whose line does not follow a drive (a relay with a broken coil,
    /// a pin held by a stronger driver): reads back this level whatever is set.
    var stuck: [String: Bool] = [:]

    init(_ pins: [GPIOPin], restored: [String: Bool] = [:], limits: GPIOLimits = GPIOLimits()) {
        controller = GPIOController(pins: pins, restored: restored, limits: limits)
    }

    mutating func start(at now: PinInstant = ms(0)) -> [GPIOAction] {
        run(now) { $0.start(now: now, actions: &$1) }
    }

    mutating func command(_ pin: String, _ payload: String, at now: PinInstant) -> [GPIOAction] {
        run(now) { $0.command(pin: pin, payload: Array(payload.utf8), now: now, actions: &$1) }
    }

    mutating func edge(_ pin: String, at now: PinInstant) -> [GPIOAction] {
        run(now) { $0.inputEdge(pin: pin, now: now, actions: &$1) }
    }

    mutating func expire(at now: PinInstant) -> [GPIOAction] {
        run(now) { $0.expireTimers(now: now, actions: &$1) }
    }

    mutating func stop(at now: PinInstant) -> [GPIOAction] {
        run(now) { controller, actions in controller.stop(actions: &actions) }
    }

    /// A reload's steps, as the runtime takes them: release, update, add.
    mutating func reconfigure(_ pins: [GPIOPin], restored: [String: Bool] = [:], at now: PinInstant) -> (GPIOController<PinInstant>.PinChanges, [GPIOAction]) {
        let changes = controller.changes(to: pins)
        var done = run(now) { $0.release(changes.released, actions: &$1) }
        controller.update(changes.updated, restored: restored)
        done += run(now) { $0.add(changes.requested, restored: restored, actions: &$1) }
        return (changes, done)
    }

    /// Runs one event and carries out its actions, and theirs, in order.
    private mutating func run(_ now: PinInstant, _ event: (inout GPIOController<PinInstant>, inout [GPIOAction]) -> Void) -> [GPIOAction] {
        var pending: [GPIOAction] = []
        event(&controller, &pending)
        var done: [GPIOAction] = []
        // Bounded: each drive or read yields at most two actions, none of them another drive or read.
        var next = 0
        while next < pending.count, next < 1_000 {
            let action = pending[next]
            next += 1
            done.append(action)
            switch action {
            case let .drive(pin, active):
                lines[pin] = stuck[pin] ?? active
                var followUps: [GPIOAction] = []
                controller.outputDriven(pin: pin, readBack: lines[pin] ?? false, now: now, actions: &followUps)
                pending.insert(contentsOf: followUps, at: next)
            case let .read(pin):
                var followUps: [GPIOAction] = []
                controller.inputRead(pin: pin, active: lines[pin] ?? false, now: now, actions: &followUps)
                pending.insert(contentsOf: followUps, at: next)
            case .publishState, .saveState, .refuse:
                break
            }
        }
        return done
    }
}

extension GPIOPin {
    static func output(_ name: String, initial: PinInitialState = .off, onExit: PinExitAction = .keep) -> GPIOPin {
        GPIOPin(name: name, line: .name("GPIO17"), direction: .output, initial: initial, onExit: onExit)
    }

    static func input(_ name: String, debounce: Duration = .zero) -> GPIOPin {
        GPIOPin(name: name, line: .name("GPIO27"), direction: .input, bias: .pullUp, debounce: debounce)
    }
}

/// Outputs: commands drive, the read-back is published (SPEC §6).
@Suite struct GPIOControllerTests {
    @Test func startDrivesOutputsToTheirInitialValueAndReadsInputs() {
        var bench = PinBench([.output("relay1", initial: .on), .input("door"), .output("relay2")])
        bench.lines["door"] = true
        #expect(bench.start() == [
            .drive(pin: "relay1", active: true), .publishState(pin: "relay1", active: true),
            .drive(pin: "relay2", active: false), .publishState(pin: "relay2", active: false),
            .read(pin: "door"), .publishState(pin: "door", active: true),
        ])
        #expect(bench.controller.states == ["relay1": true, "relay2": false, "door": true])
    }

    @Test func startRunsOnce() {
        var bench = PinBench([.output("relay1"), .input("door")])
        _ = bench.start()
        #expect(bench.start(at: ms(5)) == [])
    }

    @Test func statesHoldOnlyPinsWithAKnownState() {
        let controller = GPIOController<PinInstant>(pins: [.output("relay1"), .input("door")], restored: [:])
        #expect(controller.states == [:])
        #expect(controller.nextDeadline == nil)
        #expect(controller.refusedCount == 0)
    }

    @Test func onAndOffDriveTheLineAndPublishTheReadBack() {
        var bench = PinBench([.output("relay1")])
        #expect(bench.command("relay1", "ON", at: ms(0)) == [.drive(pin: "relay1", active: true), .publishState(pin: "relay1", active: true)])
        #expect(bench.controller.states["relay1"] == true)
        #expect(bench.command("relay1", "0", at: ms(10)) == [.drive(pin: "relay1", active: false), .publishState(pin: "relay1", active: false)])
        #expect(bench.controller.states["relay1"] == false)
    }

    @Test func aRepeatedCommandDrivesAndPublishesAgain() {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", "ON", at: ms(0))
        #expect(bench.command("relay1", "ON", at: ms(10)) == [.drive(pin: "relay1", active: true), .publishState(pin: "relay1", active: true)])
    }

    @Test func thePublishedStateIsTheReadBackNotTheCommand() {
        var bench = PinBench([.output("relay1")])
        bench.stuck["relay1"] = false
        #expect(bench.command("relay1", "ON", at: ms(0)) == [.drive(pin: "relay1", active: true), .publishState(pin: "relay1", active: false)])
        #expect(bench.controller.states["relay1"] == false)
    }

    @Test func toggleUsesTheLastReadBackState() {
        var bench = PinBench([.output("relay1")])
        _ = bench.command("relay1", "ON", at: ms(0))
        #expect(bench.command("relay1", "TOGGLE", at: ms(10)).first == .drive(pin: "relay1", active: false))
        #expect(bench.command("relay1", "toggle", at: ms(20)).first == .drive(pin: "relay1", active: true))
        // The line did not follow the last ON: toggling goes by what it is, not by what was asked.
        bench.stuck["relay1"] = false
        _ = bench.command("relay1", "ON", at: ms(30))
        #expect(bench.command("relay1", "TOGGLE", at: ms(40)).first == .drive(pin: "relay1", active: true))
    }

    @Test func toggleBeforeAnyReadBackStartsFromTheInitialValue() {
        var bench = PinBench([.output("on", initial: .on), .output("off")])
        #expect(bench.command("on", "TOGGLE", at: ms(0)).first == .drive(pin: "on", active: false))
        #expect(bench.command("off", "TOGGLE", at: ms(0)).first == .drive(pin: "off", active: true))
    }

    @Test func jsonCommandsDrive() {
        var bench = PinBench([.output("relay1")])
        #expect(bench.command("relay1", #"{"state": true}"#, at: ms(0)).first == .drive(pin: "relay1", active: true))
        #expect(bench.command("relay1", #"{"state": "TOGGLE"}"#, at: ms(10)).first == .drive(pin: "relay1", active: false))
    }

    @Test func reportsForPinsOfTheWrongKindOrNoPinAreIgnored() {
        var controller = GPIOController<PinInstant>(pins: [.output("relay1"), .input("door")], restored: [:])
        var actions: [GPIOAction] = []
        controller.outputDriven(pin: "door", readBack: true, now: ms(0), actions: &actions)
        controller.outputDriven(pin: "nope", readBack: true, now: ms(0), actions: &actions)
        controller.inputRead(pin: "relay1", active: true, now: ms(0), actions: &actions)
        controller.inputRead(pin: "nope", active: true, now: ms(0), actions: &actions)
        controller.inputEdge(pin: "relay1", now: ms(0), actions: &actions)
        controller.inputEdge(pin: "nope", now: ms(0), actions: &actions)
        #expect(actions == [])
        #expect(controller.states == [:])
        #expect(controller.nextDeadline == nil)
    }

    @Test func aRepeatedPinNameKeepsTheFirst() {
        let controller = GPIOController<PinInstant>(pins: [.output("pin", initial: .on), .input("pin")], restored: [:])
        #expect(controller.initialValue(ofOutput: "pin") == true)
    }
}
