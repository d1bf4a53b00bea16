extension CoAPServer: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs:
    /// `CoAPServer(udp 0.0.0.0:5683; dtls 0.0.0.0:5684, 2 keys)`. The keys are
    /// counted, never shown.
    public var description: String {
        var parts = ["udp " + (configuration.listen.isEmpty ? "off" : configuration.listen.map(\.description).joined(separator: ", "))]
        if let dtls = configuration.dtls {
            let keys = dtls.keys.count == 1 ? "1 key" : "\(dtls.keys.count) keys"
            parts.append("dtls \(dtls.listen.map(\.description).joined(separator: ", ")), \(keys)")
        }
        return "CoAPServer(\(parts.joined(separator: "; ")))"
    }
}
