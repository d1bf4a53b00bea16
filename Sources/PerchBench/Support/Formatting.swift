/// Number formats shared by the tables: fixed decimals, no locale.
enum Formatting {
    /// `value` with `decimals` digits after the point, thousands separated by
    /// commas unless not `grouped` (CSV).
    static func number(_ value: Double, decimals: Int = 0, grouped isGrouped: Bool = true) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled) - whole * Int64(scale)
        var digits = String(whole)
        var grouped = ""
        while isGrouped && digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + grouped }
        let fractionText = String(fraction)
        return sign + grouped + "." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
    }

    /// A byte count in MiB with one decimal (or KiB below 1 MiB).
    static func bytes(_ count: Int) -> String {
        if count < 1 << 20 { return number(Double(count) / 1024, decimals: 1) + " KiB" }
        return number(Double(count) / Double(1 << 20), decimals: 1) + " MiB"
    }

    /// A duration in microseconds with one decimal.
    static func microseconds(_ duration: Duration) -> String {
        number(duration.seconds * 1e6, decimals: 1) + " µs"
    }

    /// A duration in milliseconds with two decimals (latencies from tens of µs to seconds).
    static func milliseconds(_ duration: Duration) -> String {
        number(duration.seconds * 1e3, decimals: 2) + " ms"
    }
}
