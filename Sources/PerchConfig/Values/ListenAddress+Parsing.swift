import PerchCore

extension ListenAddress {
    /// Parses `host:port` or `[v6]:port`; the port is required.
    static func parse(_ text: String) -> ListenAddress? {
        guard case let .success((host, portText)) = HostAndPort.split(Substring(text)),
              let portText, let port = HostAndPort.port(portText) else { return nil }
        return ListenAddress(host: host, port: port)
    }
}
