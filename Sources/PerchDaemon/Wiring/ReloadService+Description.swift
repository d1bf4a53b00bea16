extension ReloadService: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs, instead of the whole
    /// configuration: `ReloadService(SIGHUP reads /etc/perch/perch.yaml)`.
    var description: String {
        "ReloadService(SIGHUP reads \(configurationPath))"
    }
}
