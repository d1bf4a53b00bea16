/// One line written to the simulated chip's control FIFO: `<line> <level>`,
/// such as `GPIO27 1`, `27 low` or `gpio4 HIGH`.
///
/// The level is electrical (`1`/`high` is high whatever the pin's `active_low`),
/// because it stands for a wire outside the Pi.
public struct SimulatedControlCommand: Sendable, Hashable {
    /// The line's offset on the chip.
    public var offset: Int
    /// The electrical level to drive.
    public var isHigh: Bool

    /// Creates a command.
    public init(offset: Int, isHigh: Bool) {
        self.offset = offset
        self.isHigh = isHigh
    }

    /// Why a control line was not understood; logged and ignored.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not two words.
        case wrongShape
        /// The first word is neither `GPIO<n>` nor `<n>` within the chip.
        case unknownLine(String)
        /// The second word is not `1`, `0`, `high` or `low`.
        case unknownLevel(String)

        /// Says what is wrong and what is expected.
        public var description: String {
            switch self {
            case .wrongShape:
                "expected \"<line> <level>\", such as \"GPIO27 1\""
            case let .unknownLine(word):
                "no line \(word) (GPIO0…GPIO\(SimulatedChip.lineCount - 1) or 0…\(SimulatedChip.lineCount - 1))"
            case let .unknownLevel(word):
                "level \(word) is not 1, 0, high or low"
            }
        }
    }

    /// Parses one line of text (without its newline); blanks around words are allowed.
    public static func parse(_ text: Substring, lineCount: Int = SimulatedChip.lineCount) throws(ParseError) -> SimulatedControlCommand {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard words.count == 2 else { throw .wrongShape }
        guard let offset = Self.offset(of: words[0], lineCount: lineCount) else {
            throw .unknownLine(String(words[0]))
        }
        switch words[1].lowercased() {
        case "1", "high": return SimulatedControlCommand(offset: offset, isHigh: true)
        case "0", "low": return SimulatedControlCommand(offset: offset, isHigh: false)
        default: throw .unknownLevel(String(words[1]))
        }
    }

    /// `GPIO27` (any case) or `27`, within the chip.
    private static func offset(of word: Substring, lineCount: Int) -> Int? {
        let digits = word.lowercased().hasPrefix("gpio") ? word.dropFirst(4) : word
        // Only plain decimal digits: Int("+3") would otherwise pass.
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 4,
            let offset = Int(digits), offset < lineCount
        else { return nil }
        return offset
    }
}
