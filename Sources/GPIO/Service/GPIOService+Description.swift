extension GPIOService: CustomStringConvertible {
    /// One short line for swift-service-lifecycle's logs:
    /// `GPIOService(gpiochip0, 2 pins)`. The pins at start: a reload may change them.
    public var description: String {
        let count = configuration.pins.count
        return "GPIOService(\(configuration.chip), \(count == 1 ? "1 pin" : "\(count) pins"))"
    }
}
