import Yams

/// The state of one load: where errors go, the file system for `*_file`
/// keys, and the gateway id for `${gateway}`. One instance per load, never shared.
final class DecodingContext {
    let fileName: String
    let fileSystem: any ConfigurationFileSystem
    /// `gateway.id`, set once the gateway section is decoded.
    var gatewayID = ""
    /// Renamed duplicate keys, in the order they were made; every reported
    /// location is mapped back through them to the user's text.
    var insertions: [TextInsertion] = []
    private(set) var errors: [ConfigurationError] = []
    private(set) var warnings: [ConfigurationWarning] = []

    init(fileName: String, fileSystem: any ConfigurationFileSystem) {
        self.fileName = fileName
        self.fileSystem = fileSystem
    }

    func error(_ keyPath: String, _ location: SourceLocation, _ message: String) {
        errors.append(ConfigurationError(fileName: fileName, keyPath: keyPath, location: originalLocation(location), message: message))
    }

    func warning(_ keyPath: String, _ location: SourceLocation, _ message: String) {
        warnings.append(ConfigurationWarning(fileName: fileName, keyPath: keyPath, location: originalLocation(location), message: message))
    }

    /// `location` in the text as the user wrote it, before duplicate keys were renamed.
    func originalLocation(_ location: SourceLocation) -> SourceLocation {
        var result = location
        for insertion in insertions.reversed() where insertion.line == result.line && result.column >= insertion.column {
            result.column -= insertion.length
        }
        return result
    }

    /// Records an error about `node`.
    func error(_ node: ConfigNode, _ message: String) {
        error(node.path, node.location, message)
    }
}

/// A YAML node with the key path that leads to it.
struct ConfigNode {
    let node: Node
    let path: String

    var location: SourceLocation { SourceLocation(mark: node.mark) }

    /// A scalar's text; `nil` for null, mappings and lists.
    var text: String? {
        guard case let .scalar(scalar) = node, !isNull else { return nil }
        return scalar.string
    }

    var isNull: Bool {
        guard case .scalar = node else { return false }
        return hasTag(.null)
    }

    /// Whether the node's resolved YAML tag is `name` (quoted scalars are
    /// always strings, so `"5"` is not an integer).
    func hasTag(_ name: Tag.Name) -> Bool {
        node.tag.rawValue == name.rawValue
    }

    /// How the value reads in an error message: `"30 seconds"`, `a list`, …
    var shown: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case let .scalar(scalar): return isNull ? "nothing" : "\"\(scalar.string)\""
        }
    }
}
