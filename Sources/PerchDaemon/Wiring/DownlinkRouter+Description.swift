extension DownlinkRouter: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs:
    /// `DownlinkRouter(to MQTTSNServer, CoAPServer, GPIOService)`.
    var description: String {
        "DownlinkRouter(to \(sinks.map { "\(type(of: $0))" }.joined(separator: ", ")))"
    }
}
