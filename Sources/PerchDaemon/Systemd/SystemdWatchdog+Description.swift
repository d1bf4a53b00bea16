import PerchCore

extension SystemdWatchdog: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs:
    /// `SystemdWatchdog(every 15s while event loop, coap queue answer)`.
    var description: String {
        let every = interval.map { "every \($0.shortText)" } ?? "off"
        return "SystemdWatchdog(\(every) while \(executors.map(\.name).joined(separator: ", ")) answer)"
    }
}
