/// The prefix that puts a sensor's local topics into the gateway's part of the
/// broker's topic tree (SPEC §2: `{mountpoint}{topic}`, downlink included).
///
/// It is a plain string prefix, not a level: `site/gw/` turns `cmd/led` into
/// `site/gw/cmd/led`, and `site` would turn it into `sitecmd/led`. A mountpoint
/// holding `${clientid}` is resolved per client (`resolved(forClient:)`) before
/// topics go through it.
public struct Mountpoint: Sendable, Hashable, CustomStringConvertible {
    /// The prefix as given; empty when topics go upstream unchanged.
    public let prefix: String

    /// No prefix: local and upstream topics are the same.
    public static let none = Mountpoint(validated: "")

    /// Validates `prefix`: it becomes part of every upstream topic name, so it may
    /// hold no wildcard and no U+0000 ([MQTT-4.7.1-1], [MQTT-4.7.3-2]); it may be empty.
    public init(_ prefix: String) throws(RoutingError) {
        if !prefix.isEmpty {
            do {
                try TopicName.validate(prefix)
            } catch {
                throw .invalidMountpoint(prefix, error)
            }
        }
        self.init(validated: prefix)
    }

    private init(validated prefix: String) {
        self.prefix = prefix
        self.isPerClient = prefix.contains(Self.clientIDVariable)
    }

    /// True when topics go upstream unchanged.
    public var isEmpty: Bool { prefix.isEmpty }

    /// The placeholder for a sensor's own client id (SPEC §1, `uplink.mountpoint`).
    public static let clientIDVariable = "${clientid}"

    /// True when the prefix holds `${clientid}`: each client has its own.
    public let isPerClient: Bool

    /// The mountpoint of one client: `${clientid}` replaced by its id (itself
    /// when there is none). Throws when the id makes it invalid (a wildcard, U+0000).
    public func resolved(forClient clientID: String) throws(RoutingError) -> Mountpoint {
        guard isPerClient else { return self }
        return try Mountpoint(prefix.replacing(Self.clientIDVariable, with: clientID))
    }

    /// The filter a local subscription becomes upstream.
    ///
    /// Prefixing can make a valid filter invalid (`site` + `#` is `site#`,
    /// [MQTT-4.7.1-2]) or too long, so this throws.
    public func upstreamFilter(for localFilter: TopicFilter) throws(RoutingError) -> TopicFilter {
        guard !prefix.isEmpty else { return localFilter }
        let combined = prefix + localFilter.value
        do {
            return try TopicFilter(combined)
        } catch {
            throw .invalidUpstreamFilter(combined, error)
        }
    }

    /// The topic name a local topic becomes upstream.
    public func upstreamTopic(for localTopic: String) -> String {
        prefix + localTopic
    }

    /// The local topic of an upstream topic, or `nil` when the topic does not start
    /// with this mountpoint or nothing is left after it (an empty topic name is not
    /// one, [MQTT-4.7.3-1]: `site/#` matches `site` but `site/` leaves nothing).
    public func localTopic(for upstreamTopic: String) -> String? {
        guard !prefix.isEmpty else { return upstreamTopic.isEmpty ? nil : upstreamTopic }
        let utf8 = upstreamTopic.utf8
        let prefixUTF8 = prefix.utf8
        guard utf8.count > prefixUTF8.count, utf8.starts(with: prefixUTF8) else { return nil }
        // Byte-wise: a String comparison would apply Unicode canonical equivalence,
        // and MQTT compares topics as UTF-8 bytes (MQTT 5.0 §4.7.3). Slicing the
        // String itself would round the cut to a Character boundary.
        let start = utf8.index(utf8.startIndex, offsetBy: prefixUTF8.count)
        return String(decoding: utf8[start...], as: UTF8.self)
    }

    /// The prefix as given.
    public var description: String { prefix }
}
