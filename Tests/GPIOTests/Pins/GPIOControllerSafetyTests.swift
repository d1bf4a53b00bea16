import GPIO
import PerchCore
import Testing

/// Only configured outputs can be touched; refusals are counted and logged once
/// per burst; commands are rate-limited per pin (issue 6, "Safety").
@Suite struct GPIOControllerSafetyTests {
    static func isDrive(_ action: GPIOAction) -> Bool {
        if case .drive = action { true } else { false }
    }

    @Test func unknownPinsAreRefused() {
        var bench = PinBench([.output("relay1")])
        #expect(bench.command("relay9", "ON", at: ms(0)) == [.refuse(pin: "relay9", reason: .unknownPin, log: true)])
        #expect(bench.controller.refusedCount == 1)
    }

    @Test func pinNamesAreCaseSensitive() {
        var bench = PinBench([.output("relay1")])
        #expect(bench.command("Relay1", "ON", at: ms(0)) == [.refuse(pin: "Relay1", reason: .unknownPin, log: true)])
    }

    @Test func inputsCannotBeDriven() {
        var bench = PinBench([.input("door")])
        #expect(bench.command("door", "ON", at: ms(0)) == [.refuse(pin: "door", reason: .notAnOutput, log: true)])
        #expect(bench.controller.refusedCount == 1)
        #expect(bench.controller.states == [:])
    }

    @Test func invalidPayloadsAreRefusedWithTheirError() {
        var bench = PinBench([.output("relay1")])
        #expect(bench.command("relay1", "MAYBE", at: ms(0)) == [.refuse(pin: "relay1", reason: .invalidPayload(.unknownWord("MAYBE")), log: true)])
        #expect(bench.command("relay1", #"{"pulse_ms": 0}"#, at: ms(10_000)) == [.refuse(pin: "relay1", reason: .invalidPayload(.pulseOutOfRange(0)), log: true)])
        #expect(bench.controller.refusedCount == 2)
        #expect(bench.controller.states == [:])
    }

    @Test func aBurstPassesThenCommandsAreRefused() {
        var bench = PinBench([.output("relay1")])
        for index in 0..<10 {
            #expect(bench.command("relay1", index % 2 == 0 ? "ON" : "OFF", at: ms(0)).first.map(Self.isDrive) == true)
        }
        #expect(bench.command("relay1", "ON", at: ms(0)) == [.refuse(pin: "relay1", reason: .rateLimited, log: true)])
        #expect(bench.command("relay1", "ON", at: ms(199)) == [.refuse(pin: "relay1", reason: .rateLimited, log: false)])
        #expect(bench.controller.refusedCount == 2)
    }

    @Test func tokensComeBackAtTheRefillRate() {
        var bench = PinBench([.output("relay1")])
        for _ in 0..<10 { _ = bench.command("relay1", "ON", at: ms(0)) }
        // 5 a second: one token every 200 ms, no sooner.
        #expect(bench.command("relay1", "ON", at: ms(199)).first.map(Self.isDrive) == false)
        #expect(bench.command("relay1", "ON", at: ms(200)).first.map(Self.isDrive) == true)
        #expect(bench.command("relay1", "ON", at: ms(201)).first.map(Self.isDrive) == false)
        #expect(bench.command("relay1", "ON", at: ms(400)).first.map(Self.isDrive) == true)
    }

    @Test func aFullBucketRefillsAfterTheBurstTime() {
        var bench = PinBench([.output("relay1")])
        for _ in 0..<11 { _ = bench.command("relay1", "ON", at: ms(0)) }
        var driven = 0
        for _ in 0..<15 where bench.command("relay1", "ON", at: ms(2_000)).first.map(Self.isDrive) == true { driven += 1 }
        #expect(driven == 10)
        // Waiting longer than a full refill stores no more than the burst.
        for _ in 0..<15 where bench.command("relay1", "ON", at: ms(60_000)).first.map(Self.isDrive) == true { driven += 1 }
        #expect(driven == 20)
    }

    @Test func aSteadyRateAtTheLimitIsNeverRefused() {
        var bench = PinBench([.output("relay1")])
        for step in 0..<100 {
            #expect(bench.command("relay1", "TOGGLE", at: ms(step * 200)).first.map(Self.isDrive) == true)
        }
        #expect(bench.controller.refusedCount == 0)
    }

    @Test func theRateLimitIsPerPin() {
        var bench = PinBench([.output("relay1"), .output("relay2")])
        for _ in 0..<11 { _ = bench.command("relay1", "ON", at: ms(0)) }
        #expect(bench.command("relay2", "ON", at: ms(0)).first.map(Self.isDrive) == true)
    }

    @Test func refusedPayloadsCostNoToken() {
        var bench = PinBench([.output("relay1")], limits: GPIOLimits(commandBurst: 1, commandsPerSecond: 1))
        for _ in 0..<5 { _ = bench.command("relay1", "MAYBE", at: ms(0)) }
        #expect(bench.command("relay1", "ON", at: ms(0)).first.map(Self.isDrive) == true)
    }

    @Test func limitsBelowOneStillLetOneCommandThrough() {
        var bench = PinBench([.output("relay1")], limits: GPIOLimits(commandBurst: 0, commandsPerSecond: 0))
        #expect(bench.command("relay1", "ON", at: ms(0)).first.map(Self.isDrive) == true)
        #expect(bench.command("relay1", "ON", at: ms(999)).first.map(Self.isDrive) == false)
        #expect(bench.command("relay1", "ON", at: ms(1_000)).first.map(Self.isDrive) == true)
    }

    @Test func onlyTheFirstRefusalOfABurstIsLogged() {
        var bench = PinBench([.input("door")])
        var logged: [Bool] = []
        // Quiet period 10 s: the burst goes on while refusals come less than 10 s apart.
        for time in [0, 1_000, 9_999, 19_000, 28_999, 38_999, 40_000] {
            for case let .refuse(_, _, log) in bench.command("door", "ON", at: ms(time)) { logged.append(log) }
        }
        #expect(logged == [true, false, false, false, false, true, false])
        #expect(bench.controller.refusedCount == 7)
    }

    @Test func burstsAreKeptPerPinAndReason() {
        var bench = PinBench([.output("relay1"), .output("relay2"), .input("door")], limits: GPIOLimits(commandBurst: 1))
        func log(_ pin: String, _ payload: String) -> Bool? {
            for case let .refuse(_, _, log) in bench.command(pin, payload, at: ms(0)) { return log }
            return nil
        }
        #expect(log("relay1", "MAYBE") == true)
        #expect(log("relay1", "{}") == false)
        #expect(log("relay2", "MAYBE") == true)
        #expect(log("door", "ON") == true)
        #expect(log("door", "MAYBE") == false)
        #expect(log("relay1", "ON") == nil)
        #expect(log("relay1", "ON") == true)
        #expect(log("relay1", "ON") == false)
        #expect(bench.controller.refusedCount == 7)
    }

    @Test func madeUpPinNamesShareOneBurst() {
        var bench = PinBench([.output("relay1")])
        var logged: [Bool] = []
        for index in 0..<50 {
            for case let .refuse(pin, .unknownPin, log) in bench.command("pin\(index)", "ON", at: ms(index)) {
                #expect(pin == "pin\(index)")
                logged.append(log)
            }
        }
        #expect(logged == [true] + Array(repeating: false, count: 49))
        #expect(bench.controller.refusedCount == 50)
    }

    @Test func aCustomQuietPeriodIsUsed() {
        var bench = PinBench([.input("door")], limits: GPIOLimits(refusalLogQuietPeriod: .seconds(1)))
        #expect(bench.command("door", "ON", at: ms(0)).first == .refuse(pin: "door", reason: .notAnOutput, log: true))
        #expect(bench.command("door", "ON", at: ms(999)).first == .refuse(pin: "door", reason: .notAnOutput, log: false))
        #expect(bench.command("door", "ON", at: ms(1_999)).first == .refuse(pin: "door", reason: .notAnOutput, log: true))
    }
}
