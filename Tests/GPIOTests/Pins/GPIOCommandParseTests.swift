import GPIO
import Testing

/// SPEC §6: the payloads a pin's `/set` topic takes.
@Suite struct GPIOCommandParseTests {
    static func parse(_ text: String) -> Result<GPIOCommand, GPIOCommandError> {
        GPIOCommand.parse(Array(text.utf8))
    }

    @Test(arguments: [
        ("ON", GPIOCommand.set(true)), ("on", .set(true)), ("On", .set(true)),
        ("OFF", .set(false)), ("off", .set(false)), ("oFf", .set(false)),
        ("1", .set(true)), ("0", .set(false)),
        ("true", .set(true)), ("TRUE", .set(true)), ("True", .set(true)),
        ("false", .set(false)), ("FALSE", .set(false)),
        ("TOGGLE", .toggle), ("toggle", .toggle), ("Toggle", .toggle),
    ])
    func wordsAreCaseInsensitive(payload: String, expected: GPIOCommand) {
        #expect(Self.parse(payload) == .success(expected))
    }

    @Test(arguments: [" ON", "ON ", "  on\n", "\tON\r\n", "\r\nON\t "])
    func whitespaceAroundAWordIsIgnored(payload: String) {
        #expect(Self.parse(payload) == .success(.set(true)))
    }

    @Test func whitespaceInsideAWordIsNot() {
        #expect(Self.parse("O N") == .failure(.unknownWord("O N")))
    }

    @Test(arguments: [
        (#"{"state": "ON"}"#, GPIOCommand.set(true)),
        (#"{"state":"OFF"}"#, .set(false)),
        (#"{"state": "on"}"#, .set(true)),
        (#"{"state": "Toggle"}"#, .toggle),
        (#"{"state": "TOGGLE"}"#, .toggle),
        (#"{"state": 1}"#, .set(true)),
        (#"{"state": 0}"#, .set(false)),
        (#"{"state": true}"#, .set(true)),
        (#"{"state": false}"#, .set(false)),
        (#"{"state": "1"}"#, .set(true)),
        (#"{"state": "false"}"#, .set(false)),
        (#"{"pulse_ms": 500}"#, .pulse(.milliseconds(500))),
        (#"{"pulse_ms":1}"#, .pulse(.milliseconds(1))),
        (#"{"pulse_ms": 3600000}"#, .pulse(.seconds(3600))),
    ])
    func jsonCommands(payload: String, expected: GPIOCommand) {
        #expect(Self.parse(payload) == .success(expected))
    }

    @Test(arguments: [
        "  {  \"state\"  :  \"ON\"  }  ",
        "{\n  \"state\": \"ON\"\n}\n",
        "\t{\"state\":\t\" ON \"}",
        #"{"state": "ON", "source": "home-assistant"}"#,
    ])
    func jsonWithExtraSpacesOrFieldsIsAccepted(payload: String) {
        #expect(Self.parse(payload) == .success(.set(true)))
    }

    @Test func emptyPayloadsAreRefused() {
        #expect(GPIOCommand.parse([UInt8]()) == .failure(.empty))
        #expect(Self.parse(" \t\r\n") == .failure(.empty))
    }

    @Test func payloadsOverTheLimitAreRefusedUnread() {
        let atLimit = Array(repeating: UInt8(ascii: " "), count: 254) + Array("ON".utf8)
        #expect(atLimit.count == GPIOCommand.maximumPayloadLength)
        #expect(GPIOCommand.parse(atLimit) == .success(.set(true)))
        let overLimit = [UInt8(ascii: " ")] + atLimit
        #expect(GPIOCommand.parse(overLimit) == .failure(.tooLong))
        // Even bytes that are no UTF-8 are not looked at past the limit.
        #expect(GPIOCommand.parse(Array(repeating: UInt8(0xFF), count: 10_000)) == .failure(.tooLong))
    }

    @Test func invalidUTF8IsRefused() {
        #expect(GPIOCommand.parse([0x4F, 0xFF, 0x4E]) == .failure(.notUTF8))
        #expect(GPIOCommand.parse([0xC3]) == .failure(.notUTF8))
    }

    @Test(arguments: ["ONN", "yes", "2", "-1", "enable", "\"ON\"", "ON;OFF"])
    func unknownWordsAreRefused(payload: String) {
        #expect(Self.parse(payload) == .failure(.unknownWord(payload)))
    }

    @Test func unknownWordsAreShortenedAndMadePrintableForTheLog() throws {
        let long = String(repeating: "x", count: 100)
        #expect(Self.parse(long) == .failure(.unknownWord(String(repeating: "x", count: 32) + "…")))
        #expect(Self.parse("a\u{1B}[2Jb") == .failure(.unknownWord("a?[2Jb")))
        #expect(Self.parse("a\u{0}b") == .failure(.unknownWord("a?b")))
    }

    @Test(arguments: [
        "{", "{\"state\": \"ON\"", "{state: ON}", "{\"state\": \"ON\"} trailing",
        "{'state': 'ON'}", "{\"state\" \"ON\"}",
    ])
    func malformedJSONIsRefused(payload: String) {
        #expect(Self.parse(payload) == .failure(.invalidJSON))
    }

    @Test func jsonWithoutACommandFieldIsRefused() {
        #expect(Self.parse("{}") == .failure(.missingField))
        #expect(Self.parse(#"{"State": "ON"}"#) == .failure(.missingField))
        #expect(Self.parse(#"{"pulse": 500}"#) == .failure(.missingField))
    }

    @Test func jsonWithStateAndPulseIsRefused() {
        #expect(Self.parse(#"{"state": "ON", "pulse_ms": 500}"#) == .failure(.conflictingFields))
    }

    @Test(arguments: [
        (#"{"state": "MAYBE"}"#, "\"MAYBE\""),
        (#"{"state": 2}"#, "2"),
        (#"{"state": -1}"#, "-1"),
        (#"{"state": 0.5}"#, "0.5"),
        (#"{"state": null}"#, "(not a string, number or boolean)"),
        (#"{"state": ["ON"]}"#, "(not a string, number or boolean)"),
        (#"{"state": {"value": "ON"}}"#, "(not a string, number or boolean)"),
    ])
    func invalidStatesAreRefused(payload: String, shown: String) {
        #expect(Self.parse(payload) == .failure(.invalidState(shown)))
    }

    @Test(arguments: [0, -1, 3_600_001, Int.max])
    func pulsesOutOfRangeAreRefused(milliseconds: Int) {
        #expect(Self.parse("{\"pulse_ms\": \(milliseconds)}") == .failure(.pulseOutOfRange(milliseconds)))
    }

    @Test(arguments: [
        #"{"pulse_ms": "500"}"#, #"{"pulse_ms": 1.5}"#, #"{"pulse_ms": true}"#,
        #"{"pulse_ms": null}"#, #"{"pulse_ms": 1e30}"#, #"{"pulse_ms": [500]}"#,
    ])
    func pulsesThatAreNoWholeNumberAreRefused(payload: String) {
        #expect(Self.parse(payload) == .failure(.invalidPulse))
    }

    @Test func aJSONValueThatIsNoObjectIsRefused() {
        // Only an object is JSON here: anything else is read as a word.
        #expect(Self.parse("[1]") == .failure(.unknownWord("[1]")))
        #expect(Self.parse("{\"a\"}") == .failure(.invalidJSON))
    }

    @Test func errorsDescribeThemselves() {
        #expect(GPIOCommandError.tooLong.description.contains("256"))
        #expect(GPIOCommandError.unknownWord("yes").description.contains("\"yes\""))
        #expect(GPIOCommandError.pulseOutOfRange(0).description.contains("3600000"))
        #expect(GPIORefusal.invalidPayload(.empty).description == "invalid command: empty payload")
    }
}
