/// "Did you mean …?" for unknown keys.
enum KeySuggestion {
    /// The known key closest to `key` by edit distance, if close enough to be
    /// a likely typo: at most 2 edits, or a third of the key's length for long
    /// keys; failing that, a known key of 3 or more letters that starts the
    /// typed one or is started by it (`logging` → `log`).
    static func nearest(to key: String, among known: [String]) -> String? {
        let normalized = key.lowercased().replacing("-", with: "_")
        if let close = nearestByDistance(to: normalized, among: known) { return close }
        return known.first { $0.count >= 3 && normalized.count >= 3 && (normalized.hasPrefix($0) || $0.hasPrefix(normalized)) }
    }

    private static func nearestByDistance(to key: String, among known: [String]) -> String? {
        let typed = Array(key)
        let limit = max(2, typed.count / 3)
        let scored = known.map { ($0, distance(typed, Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit, best.1 < typed.count else { return nil }
        return best.0
    }

    /// Levenshtein distance.
    private static func distance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for i in 1...lhs.count {
            current[0] = i
            for j in 1...rhs.count {
                let substitution = previous[j - 1] + (lhs[i - 1] == rhs[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
