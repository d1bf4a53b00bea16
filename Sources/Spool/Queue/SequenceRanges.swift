/// Sequences to delete, gathered as ranges: messages finish roughly in order,
/// so a drain of thousands becomes a handful of `DELETE … BETWEEN` statements.
struct SequenceRanges: Sendable, Equatable {
    private(set) var ranges: [ClosedRange<UInt64>] = []

    var isEmpty: Bool { ranges.isEmpty }

    mutating func insert(_ sequence: UInt64) {
        if let last = ranges.last, last.upperBound &+ 1 == sequence {
            ranges[ranges.count - 1] = last.lowerBound...sequence
        } else {
            ranges.append(sequence...sequence)
        }
    }

    mutating func insert(_ range: ClosedRange<UInt64>) {
        ranges.append(range)
    }

    mutating func insert(contentsOf other: [ClosedRange<UInt64>]) {
        ranges.append(contentsOf: other)
    }

    /// All ranges, emptying the set.
    mutating func take() -> [ClosedRange<UInt64>] {
        defer { ranges.removeAll() }
        return ranges
    }
}
