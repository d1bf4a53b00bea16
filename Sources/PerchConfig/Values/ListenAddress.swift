/// A local UDP address to bind: `host:port` or `[v6]:port`, e.g. `0.0.0.0:1884`
/// or `[::]:1884`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address to bind, without the brackets of an IPv6 literal.
    public var host: String
    /// The UDP port; 0 lets the system choose a free one (useful in tests).
    public var port: Int

    /// Creates a listen address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses `host:port` or `[v6]:port`; the port is required.
    static func parse(_ text: String) -> ListenAddress? {
        guard case let .success((host, portText)) = HostAndPort.split(Substring(text)),
              let portText, let port = HostAndPort.port(portText) else { return nil }
        return ListenAddress(host: host, port: port)
    }
}
