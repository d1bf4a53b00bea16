import Yams

/// The keys of one YAML mapping, checked against the keys Perch knows.
struct MappingReader {
    let path: String
    let location: SourceLocation
    private let entries: [(key: String, node: ConfigNode)]
    private let context: DecodingContext

    /// Reads `node` as a mapping with the given keys; `nil` (and an error) if
    /// it is not a mapping. An empty value (`tls:`) reads as an empty mapping,
    /// so a section can be switched on with all its defaults.
    init?(_ node: ConfigNode, known: [String], context: DecodingContext) {
        self.context = context
        path = node.path
        location = node.location
        if node.isNull {
            entries = []
            return
        }
        guard case let .mapping(mapping) = node.node else {
            context.error(node, "expected a mapping, got \(node.shown)")
            return nil
        }
        var entries: [(key: String, node: ConfigNode)] = []
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            // Renamed duplicates were reported by YAMLDocument.
            if name.contains(YAMLDocument.duplicateMarker) { continue }
            let keyPath = KeyPath.child(path, name)
            guard known.contains(name) else {
                var message = "unknown key \"\(name)\""
                if let suggestion = KeySuggestion.nearest(to: name, among: known) {
                    message += ", did you mean \"\(suggestion)\"?"
                }
                context.error(keyPath, SourceLocation(mark: key.mark), message)
                continue
            }
            entries.append((name, ConfigNode(node: value, path: keyPath)))
        }
        self.entries = entries
    }

    /// A mapping without keys, for an absent section whose defaults apply.
    init(emptyAt path: String, location: SourceLocation, context: DecodingContext) {
        self.path = path
        self.location = location
        self.entries = []
        self.context = context
    }

    /// The value of `key`, or `nil` when absent.
    subscript(key: String) -> ConfigNode? {
        entries.first { $0.key == key }?.node
    }

    /// The value of `key`, or `nil` and a "required" error pointing at this mapping.
    func required(_ key: String) -> ConfigNode? {
        if let node = self[key] { return node }
        context.error(KeyPath.child(path, key), location, "required key is missing")
        return nil
    }

    /// The decoded value of `key`; `fallback` when absent or invalid (the
    /// error is recorded, and the fallback only lets checking go on).
    func value<T>(_ key: String, default fallback: T, _ decode: (ConfigNode) -> T?) -> T {
        guard let node = self[key] else { return fallback }
        return decode(node) ?? fallback
    }

    /// Whether `key` is present.
    func contains(_ key: String) -> Bool { self[key] != nil }
}
