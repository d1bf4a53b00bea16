/// The order statistics the tables report.
enum Statistics {
    /// The middle value (mean of the two middle values for an even count); nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The nearest-rank percentile (`fraction` in 0...1) of `values`; nil when empty.
    static func percentile(_ fraction: Double, of values: [Duration]) -> Duration? {
        percentile(fraction, ofSorted: values.sorted())
    }

    /// The same, of values already in ascending order.
    static func percentile<Value>(_ fraction: Double, ofSorted sorted: [Value]) -> Value? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
