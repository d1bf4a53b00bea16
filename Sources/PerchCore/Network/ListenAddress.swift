/// A local UDP address to bind: `host:port` or `[v6]:port`, e.g. `0.0.0.0:1884`
/// or `[::]:1884`. One type for the configuration (`mqttsn.listen`,
/// `coap.listen`) and the listeners that bind it.
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
}
