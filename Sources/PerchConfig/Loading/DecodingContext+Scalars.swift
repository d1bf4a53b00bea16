import PerchCore
import Yams

/// Readers for the scalar types of the file. Each returns `nil` after
/// recording an error that names the key, so a caller just falls back.
extension DecodingContext {
    /// Any non-empty scalar, as text (`client_id: 1234` is the string "1234").
    func string(_ node: ConfigNode) -> String? {
        guard let text = node.text else {
            error(node, "expected a string, got \(node.shown)")
            return nil
        }
        return text
    }

    /// A string that must not be empty.
    func nonEmptyString(_ node: ConfigNode) -> String? {
        guard let text = string(node) else { return nil }
        guard !text.isEmpty else {
            error(node, "must not be empty")
            return nil
        }
        return text
    }

    /// `true` or `false` (YAML's `yes`/`no`/`on`/`off` too, as Yams resolves them).
    func bool(_ node: ConfigNode) -> Bool? {
        guard node.text != nil, node.hasTag(.bool), let value = node.node.bool else {
            error(node, "expected true or false, got \(node.shown)")
            return nil
        }
        return value
    }

    /// An integer within `range`.
    func integer(_ node: ConfigNode, in range: ClosedRange<Int>) -> Int? {
        guard node.text != nil, node.hasTag(.int), let value = node.node.int else {
            error(node, "expected an integer, got \(node.shown)")
            return nil
        }
        guard range.contains(value) else {
            error(node, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
            return nil
        }
        return value
    }

    /// A duration such as `30s` within `range`, optionally whole seconds only.
    func duration(_ node: ConfigNode, in range: ClosedRange<Duration>, wholeSeconds: Bool = false) -> Duration? {
        guard let text = node.text, let value = DurationText.parse(text) else {
            error(node, "expected a duration such as 250ms, 30s, 15m or 7d, got \(node.shown)")
            return nil
        }
        guard range.contains(value) else {
            error(node, "must be between \(DurationText.format(range.lowerBound)) and \(DurationText.format(range.upperBound)), got \(text)")
            return nil
        }
        if wholeSeconds, DurationText.milliseconds(of: value) % 1_000 != 0 {
            error(node, "must be a whole number of seconds, got \(text)")
            return nil
        }
        return value
    }

    /// A size such as `64MiB` within `range`.
    func size(_ node: ConfigNode, in range: ClosedRange<ByteCount>) -> ByteCount? {
        guard let text = node.text, let value = ByteCount.parse(text) else {
            error(node, "expected a size such as 512KiB, 64MiB or 1GiB, got \(node.shown)")
            return nil
        }
        guard range.contains(value) else {
            error(node, "must be between \(range.lowerBound) and \(range.upperBound), got \(text)")
            return nil
        }
        return value
    }

    /// One of the raw values of `Choice`.
    func choice<Choice: RawRepresentable & CaseIterable>(_ node: ConfigNode, as _: Choice.Type = Choice.self) -> Choice?
    where Choice.RawValue == String {
        if let text = node.text, let value = Choice(rawValue: text) { return value }
        let names = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        error(node, "expected one of \(names), got \(node.shown)")
        return nil
    }

    /// The elements of a list, each with its indexed key path.
    func list(_ node: ConfigNode) -> [ConfigNode]? {
        guard case let .sequence(sequence) = node.node else {
            error(node, "expected a list, got \(node.shown)")
            return nil
        }
        return sequence.enumerated().map { ConfigNode(node: $0.element, path: KeyPath.index(node.path, $0.offset)) }
    }

    /// A list of strings.
    func stringList(_ node: ConfigNode) -> [String]? {
        guard let elements = list(node) else { return nil }
        let strings = elements.compactMap { string($0) }
        return strings.count == elements.count ? strings : nil
    }

    /// A list of `host:port` / `[v6]:port` addresses.
    func listenAddresses(_ node: ConfigNode) -> [ListenAddress]? {
        guard let elements = list(node) else { return nil }
        let addresses = elements.compactMap { listenAddress($0) }
        return addresses.count == elements.count ? addresses : nil
    }

    /// One `host:port` / `[v6]:port` address.
    func listenAddress(_ node: ConfigNode) -> ListenAddress? {
        guard let text = string(node) else { return nil }
        guard let address = ListenAddress.parse(text) else {
            error(node, "expected an address such as 0.0.0.0:1884 or [::]:1884, got \(node.shown)")
            return nil
        }
        return address
    }

    /// A mapping with the given keys.
    func mapping(_ node: ConfigNode, known: [String]) -> MappingReader? {
        MappingReader(node, known: known, context: self)
    }
}
