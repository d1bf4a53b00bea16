extension StatusReporter: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's start and stop logs:
    /// `StatusReporter(perch/gw/status every 30s)`.
    public var description: String {
        "StatusReporter(\(configuration.topic) every \(configuration.interval.shortText))"
    }
}
