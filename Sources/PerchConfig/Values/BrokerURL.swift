/// The upstream broker's address, from `uplink.url`: `mqtt://host[:port]`
/// (default port 1883) or `mqtts://host[:port]` (default port 8883).
public struct BrokerURL: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP address, without the brackets of an IPv6 literal.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// Whether the connection uses TLS (`mqtts://`).
    public var isTLS: Bool

    /// Creates a broker address.
    public init(host: String, port: Int, isTLS: Bool) {
        self.host = host
        self.port = port
        self.isTLS = isTLS
    }

    /// The URL with an explicit port, e.g. `mqtts://[::1]:8883`.
    public var description: String {
        let scheme = isTLS ? "mqtts" : "mqtt"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost):\(port)"
    }

    /// Why a URL was refused.
    enum ParseError: Error, Equatable {
        case scheme
        case host
        case port(String)
        case trailing(String)
        case userInfo
    }

    /// Parses `text`; the error says which part is wrong.
    static func parse(_ text: String) -> Result<BrokerURL, ParseError> {
        let isTLS: Bool
        let rest: Substring
        if text.hasPrefix("mqtts://") {
            isTLS = true
            rest = text.dropFirst("mqtts://".count)
        } else if text.hasPrefix("mqtt://") {
            isTLS = false
            rest = text.dropFirst("mqtt://".count)
        } else {
            return .failure(.scheme)
        }
        if rest.contains("@") { return .failure(.userInfo) }
        // A bare trailing slash is harmless; any other path, a query or user info is not MQTT.
        let authority = rest.hasSuffix("/") ? rest.dropLast() : rest
        if let bad = authority.firstIndex(where: { "/?#".contains($0) }) {
            return .failure(.trailing(String(authority[bad...])))
        }
        switch HostAndPort.split(authority) {
        case .failure:
            return .failure(.host)
        case let .success((host, portText)):
            guard let portText else {
                return .success(BrokerURL(host: host, port: isTLS ? 8883 : 1883, isTLS: isTLS))
            }
            guard let port = HostAndPort.port(portText), port > 0 else {
                return .failure(.port(String(portText)))
            }
            return .success(BrokerURL(host: host, port: port, isTLS: isTLS))
        }
    }
}
