import Foundation

extension GPIOCommand {
    /// `{"state": …}` or `{"pulse_ms": N}` (SPEC §6). Other keys are ignored, so
    /// a tool that adds its own fields still works; keys are case-sensitive as
    /// JSON keys are, state words are not.
    static func parseJSON(_ text: Substring) -> Result<GPIOCommand, GPIOCommandError> {
        let object: JSONCommandObject
        do {
            object = try JSONDecoder().decode(JSONCommandObject.self, from: Data(text.utf8))
        } catch {
            return .failure(.invalidJSON)
        }
        switch (object.state, object.pulseMilliseconds) {
        case (nil, nil):
            return .failure(.missingField)
        case (.some, .some):
            return .failure(.conflictingFields)
        case let (state?, nil):
            return state.command.map(Result.success) ?? .failure(.invalidState(state.excerpt))
        case let (nil, pulse?):
            guard case let .integer(milliseconds) = pulse else { return .failure(.invalidPulse) }
            guard pulseMillisecondsRange.contains(milliseconds) else { return .failure(.pulseOutOfRange(milliseconds)) }
            return .success(.pulse(.milliseconds(milliseconds)))
        }
    }
}

/// The object of a JSON command, with each field kept as whatever JSON value it
/// was so that a wrong type gets its own error rather than "invalid JSON".
private struct JSONCommandObject: Decodable {
    var state: JSONScalar?
    var pulseMilliseconds: JSONScalar?

    enum CodingKeys: String, CodingKey {
        case state
        case pulseMilliseconds = "pulse_ms"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // A field that is present but `null` is a wrong value, not a missing field.
        state = container.contains(.state) ? try container.decode(JSONScalar.self, forKey: .state) : nil
        pulseMilliseconds = container.contains(.pulseMilliseconds)
            ? try container.decode(JSONScalar.self, forKey: .pulseMilliseconds) : nil
    }
}

/// One JSON value, as far as a command cares.
private enum JSONScalar: Decodable {
    case boolean(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    /// `null`, an array or an object.
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // JSONDecoder keeps JSON's types apart: `true` is no Int, `1` no Bool,
        // `1.5` and `1e30` no Int.
        if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = .other
        }
    }

    /// The command this `state` value stands for, `nil` when none.
    var command: GPIOCommand? {
        switch self {
        case let .boolean(value): .set(value)
        case let .integer(value) where value == 0 || value == 1: .set(value == 1)
        case let .string(word): GPIOCommand.word(word.trimmingASCIIWhitespace())
        case .integer, .number, .other: nil
        }
    }

    /// The value for an error message, short and printable.
    var excerpt: String {
        switch self {
        case let .boolean(value): String(value)
        case let .integer(value): String(value)
        case let .number(value): String(value)
        case let .string(value): "\"\(GPIOCommandError.excerpt(of: value))\""
        case .other: "(not a string, number or boolean)"
        }
    }
}
