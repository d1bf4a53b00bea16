extension MQTTSNServer: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs:
    /// `MQTTSNServer(udp 0.0.0.0:1884, [::]:1884)`.
    public var description: String {
        "MQTTSNServer(udp \(configuration.listen.map(\.description).joined(separator: ", ")))"
    }
}
