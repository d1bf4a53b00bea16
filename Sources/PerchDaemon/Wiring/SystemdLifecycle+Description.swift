extension SystemdLifecycle: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs:
    /// `SystemdLifecycle(READY=1 after 2 listeners, NOTIFY_SOCKET unset)`.
    var description: String {
        let socket = notifier.socketAddress.map { "NOTIFY_SOCKET \($0)" } ?? "NOTIFY_SOCKET unset"
        return "SystemdLifecycle(READY=1 after \(readiness.count) listener\(readiness.count == 1 ? "" : "s"), \(socket))"
    }
}
