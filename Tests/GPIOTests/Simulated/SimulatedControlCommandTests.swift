import GPIO
import Testing

@Suite("SimulatedControlCommand: `<line> <level>`")
struct SimulatedControlCommandTests {
    @Test("accepted forms", arguments: [
        ("GPIO27 1", 27, true), ("27 0", 27, false), ("gpio4 HIGH", 4, true), ("GPIO0 low", 0, false),
        ("  GPIO53\tHigh\r", 53, true), ("0 1", 0, true),
    ])
    func accepted(text: String, offset: Int, high: Bool) throws {
        #expect(try SimulatedControlCommand.parse(Substring(text)) == SimulatedControlCommand(offset: offset, isHigh: high))
    }

    @Test("refused forms say why", arguments: [
        ("GPIO27", SimulatedControlCommand.ParseError.wrongShape),
        ("GPIO27 1 2", .wrongShape),
        ("GPIO54 1", .unknownLine("GPIO54")),
        ("-1 1", .unknownLine("-1")),
        ("+3 1", .unknownLine("+3")),
        ("GPIO 1", .unknownLine("GPIO")),
        ("LED 1", .unknownLine("LED")),
        ("GPIO3 on", .unknownLevel("on")),
        ("GPIO3 2", .unknownLevel("2")),
    ])
    func refused(text: String, expected: SimulatedControlCommand.ParseError) {
        #expect(throws: expected) { try SimulatedControlCommand.parse(Substring(text)) }
    }
}
