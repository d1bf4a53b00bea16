extension Spool: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs, without the module
    /// prefix. The policy is left out: a reload can change it after the line
    /// is written.
    public var description: String { "Spool" }
}
