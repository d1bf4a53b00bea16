/// The duration syntax of the file: an integer followed by `ms`, `s`, `m`, `h`
/// or `d` (`250ms`, `30s`, `15m`, `2h`, `7d`).
enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// The duration `text` stands for, or `nil` when it is not in the syntax.
    static func parse(_ text: String) -> Duration? {
        // "ms" before "m" and "s": the longest suffix wins.
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where text.hasSuffix(unit.suffix) {
            let digits = text.dropLast(unit.suffix.count)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  let count = Int64(digits) else { return nil }
            let (milliseconds, overflow) = count.multipliedReportingOverflow(by: unit.milliseconds)
            return overflow ? nil : .milliseconds(milliseconds)
        }
        return nil
    }

    /// The shortest text that `parse` reads back as `duration`, in the largest
    /// unit that divides it exactly (`120s` is written `2m`).
    static func format(_ duration: Duration) -> String {
        let milliseconds = milliseconds(of: duration)
        for unit in units.reversed() where milliseconds != 0 && milliseconds % unit.milliseconds == 0 {
            return "\(milliseconds / unit.milliseconds)\(unit.suffix)"
        }
        return "\(milliseconds)ms"
    }

    /// Whole milliseconds in `duration`; the file cannot express finer values.
    static func milliseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
