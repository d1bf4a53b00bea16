/// A command on `perch/{gateway}/gpio/{name}/set` (SPEC §6). Values are
/// logical: `true` is ON (active); active-low is the driver's business.
public enum GPIOCommand: Sendable, Hashable {
    /// Drive the output: `true` is ON.
    case set(Bool)
    /// Drive the output to the opposite of its last read-back state.
    case toggle
    /// ON now, OFF once the duration has passed (`{"pulse_ms": N}`).
    case pulse(Duration)

    /// The longest payload looked at: every valid command is far shorter, and a
    /// bound keeps a hostile payload from costing more than a glance.
    public static let maximumPayloadLength = 256

    /// The pulse lengths accepted, in milliseconds: up to an hour.
    public static let pulseMillisecondsRange: ClosedRange<Int> = 1...3_600_000

    /// Parses a payload (SPEC §6), case-insensitive: `ON`, `OFF`, `1`, `0`,
    /// `true`, `false`, `TOGGLE` with any whitespace around them, or a JSON
    /// object `{"state": "ON" | "OFF" | "TOGGLE" | 1 | 0 | true | false}` or
    /// `{"pulse_ms": N}` with N in `pulseMillisecondsRange`.
    public static func parse(_ payload: some Collection<UInt8>) -> Result<GPIOCommand, GPIOCommandError> {
        // One byte past the limit is enough to know the payload is too long.
        let bytes = Array(payload.prefix(maximumPayloadLength + 1))
        guard bytes.count <= maximumPayloadLength else { return .failure(.tooLong) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { return .failure(.empty) }
        if trimmed.hasPrefix("{") { return parseJSON(trimmed) }
        if let command = word(trimmed) { return .success(command) }
        return .failure(.unknownWord(GPIOCommandError.excerpt(of: trimmed)))
    }

    /// The command a plain word stands for, `nil` for any other word.
    static func word(_ word: Substring) -> GPIOCommand? {
        switch word.lowercased() {
        case "on", "1", "true": .set(true)
        case "off", "0", "false": .set(false)
        case "toggle": .toggle
        default: nil
        }
    }
}
