extension Duration {
    /// The duration as the configuration file writes it, for one-line
    /// descriptions: `30s`, `250ms`, `15m`; whole milliseconds.
    public var shortText: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        for (unit, suffix) in [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")]
        where milliseconds != 0 && milliseconds % Int64(unit) == 0 {
            return "\(milliseconds / Int64(unit))\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}
