import GPIO
import Glibc
import Logging
import PerchCore
import PerchTestKit
import Testing

@Suite("SimulatedChip: lines, levels and requests in process")
struct SimulatedChipTests {
    let logs = InMemoryLogStore()

    func makeChip() throws -> SimulatedChip {
        try SimulatedChip(controlPath: nil, logger: logs.makeLogger(label: "gpio"))
    }

    @Test("54 lines GPIO0…GPIO53; info names the chip simulated [perch-simulated]")
    func infoAndNames() throws {
        let chip = try makeChip()
        #expect(chip.info == GPIOChipInfo(name: "simulated", label: "perch-simulated", path: "", lineCount: 54))
        #expect(chip.lineOffset(named: "GPIO0") == 0)
        #expect(chip.lineOffset(named: "GPIO17") == 17)
        #expect(chip.lineOffset(named: "GPIO53") == 53)
        #expect(chip.lineOffset(named: "GPIO54") == nil)
        #expect(chip.lineOffset(named: "GPIO017") == nil)
        #expect(chip.lineOffset(named: "gpio17") == nil)
        #expect(chip.lineOffset(named: "ID_SD") == nil)
        #expect(chip.level(offset: 54) == nil)
        #expect(chip.level(offset: -1) == nil)
    }

    @Test("an output starts at its initial value; setActive moves the level and logs it at notice")
    func outputLevels() throws {
        let chip = try makeChip()
        let relay = try chip.requestOutput(GPIOLineRequest(offset: 17, consumer: "perch:relay1", activeLow: false), initiallyActive: false)
        #expect(chip.level(offset: 17) == false)
        #expect(try relay.isActive() == false)
        try relay.setActive(true)
        #expect(chip.level(offset: 17) == true)
        #expect(try relay.isActive() == true)
        let notices = logs.entries.filter { $0.level == .notice }.map(\.message)
        #expect(notices == ["simulated GPIO17 (perch:relay1) → low (OFF)", "simulated GPIO17 (perch:relay1) → high (ON)"])
    }

    @Test("active_low: ON is electrically low, and the request's initial value is already inverted")
    func activeLowOutput() throws {
        let chip = try makeChip()
        let relay = try chip.requestOutput(GPIOLineRequest(offset: 5, consumer: "perch:pump", activeLow: true), initiallyActive: true)
        #expect(chip.level(offset: 5) == false)
        #expect(try relay.isActive() == true)
        try relay.setActive(false)
        #expect(chip.level(offset: 5) == true)
        #expect(try relay.isActive() == false)
        #expect(logs.entries(containing: "simulated GPIO5 (perch:pump) → high (OFF)").count == 1)
    }

    @Test("a line requested twice is busy; an offset off the chip is not found")
    func busyAndMissing() throws {
        let chip = try makeChip()
        let first = try chip.requestOutput(GPIOLineRequest(offset: 4, consumer: "perch:a", activeLow: false), initiallyActive: false)
        let busy = thrownError(GPIOError.self) {
            _ = try chip.requestInput(GPIOLineRequest(offset: 4, consumer: "perch:b", activeLow: false), bias: .asIs, onEdge: {})
        }
        #expect(busy?.kind == .lineBusy)
        #expect(busy?.line == "GPIO4")
        let missing = thrownError(GPIOError.self) {
            _ = try chip.requestOutput(GPIOLineRequest(offset: 54, consumer: "perch:c", activeLow: false), initiallyActive: false)
        }
        #expect(missing?.kind == .lineNotFound)
        #expect(missing?.chip == "simulated")

        // Released, the line is free again, and the old handle no longer moves it.
        first.release()
        let second = try chip.requestOutput(GPIOLineRequest(offset: 4, consumer: "perch:b", activeLow: false), initiallyActive: true)
        #expect(throws: GPIOError.self) { try first.setActive(false) }
        #expect(chip.level(offset: 4) == true)
        #expect(try second.isActive() == true)
    }

    @Test("an input line cannot be driven, even through the output protocol")
    func inputsAreNotDriven() throws {
        let chip = try makeChip()
        let input = try chip.requestInput(GPIOLineRequest(offset: 22, consumer: "perch:in", activeLow: false), bias: .pullUp, onEdge: {})
        let asOutput = try #require(input as? any GPIOOutputLine)
        #expect(throws: GPIOError.self) { try asOutput.setActive(false) }
        #expect(chip.level(offset: 22) == true)
    }

    @Test("an undriven input rests at its bias", arguments: [
        (PinBias.pullUp, true), (.pullDown, false), (.disabled, false), (.asIs, false),
    ])
    func restingLevel(bias: PinBias, high: Bool) throws {
        let chip = try makeChip()
        let input = try chip.requestInput(GPIOLineRequest(offset: 27, consumer: "perch:door", activeLow: false), bias: bias, onEdge: {})
        #expect(chip.level(offset: 27) == high)
        #expect(try input.isActive() == high)
    }

    @Test("drive: a change calls onEdge on the chip's queue; the same level again does not")
    func driveCallsOnEdge() async throws {
        let chip = try makeChip()
        let edges = EdgeRecorder()
        let door = try chip.requestInput(
            GPIOLineRequest(offset: 27, consumer: "perch:door", activeLow: false), bias: .pullUp, onEdge: edges.onEdge)
        chip.drive(offset: 27, high: false)
        try await edges.wait(forCount: 1)
        #expect(try door.isActive() == false)
        chip.drive(offset: 27, high: false)  // unchanged: no edge
        chip.drive(offset: 27, high: true)
        // Edges are delivered in order on one queue: had the unchanged drive
        // made one, this would be the third.
        try await edges.wait(forCount: 2)
        #expect(edges.count == 2)
        #expect(try door.isActive() == true)
        #expect(chip.level(offset: 27) == true)
    }

    @Test("an active-low input reads ON when driven low")
    func activeLowInput() async throws {
        let chip = try makeChip()
        let edges = EdgeRecorder()
        let button = try chip.requestInput(
            GPIOLineRequest(offset: 22, consumer: "perch:button", activeLow: true), bias: .pullUp, onEdge: edges.onEdge)
        #expect(try button.isActive() == false)
        chip.drive(offset: 22, high: false)
        try await edges.wait(forCount: 1)
        #expect(try button.isActive() == true)
    }

    @Test("a line driven before it is requested keeps that level instead of its bias")
    func drivenBeforeRequest() throws {
        let chip = try makeChip()
        chip.drive(offset: 6, high: false)
        let input = try chip.requestInput(GPIOLineRequest(offset: 6, consumer: "perch:x", activeLow: false), bias: .pullUp, onEdge: {})
        #expect(try input.isActive() == false)
    }

    @Test("driving an output from outside is ignored and logged")
    func driveOutputIgnored() throws {
        let chip = try makeChip()
        let relay = try chip.requestOutput(GPIOLineRequest(offset: 17, consumer: "perch:relay1", activeLow: false), initiallyActive: true)
        chip.drive(offset: 17, high: false)
        #expect(chip.level(offset: 17) == true)
        #expect(try relay.isActive() == true)
        #expect(logs.entries.contains { $0.level == .warning && $0.message.contains("GPIO17 is an output") })
    }

    @Test("a released input gets no more edges")
    func releasedInputIsQuiet() async throws {
        let chip = try makeChip()
        let released = EdgeRecorder()
        let input = try chip.requestInput(
            GPIOLineRequest(offset: 9, consumer: "perch:a", activeLow: false), bias: .pullDown, onEdge: released.onEdge)
        input.release()
        chip.drive(offset: 9, high: true)
        // A new request on another line sees its edge; the released one, queued
        // earlier on the same queue, must have stayed silent by then.
        let other = EdgeRecorder()
        _ = try chip.requestInput(GPIOLineRequest(offset: 10, consumer: "perch:b", activeLow: false), bias: .pullDown, onEdge: other.onEdge)
        chip.drive(offset: 10, high: true)
        try await other.wait(forCount: 1)
        #expect(released.count == 0)
    }
}
