extension StatusConfiguration {
    static let keys = ["topic", "interval", "retain", "qos"]
    static let defaultTopic = "perch/${gateway}/status"

    static func decode(_ node: ConfigNode?, context: DecodingContext) -> StatusConfiguration {
        let defaultTopic = defaultTopic.replacing(TopicTemplate.gatewayVariable, with: context.gatewayID)
        let defaults = StatusConfiguration(topic: defaultTopic)
        guard let node, let mapping = context.mapping(node, known: keys) else { return defaults }
        return StatusConfiguration(
            topic: mapping.value("topic", default: defaultTopic) { context.topic($0) },
            interval: mapping.value("interval", default: defaults.interval) {
                context.duration($0, in: .seconds(1) ... .seconds(86_400))
            },
            retain: mapping.value("retain", default: defaults.retain) { context.bool($0) },
            qos: mapping.value("qos", default: defaults.qos) { context.integer($0, in: 0 ... 2) }
        )
    }
}

extension LogConfiguration {
    static let keys = ["level"]

    static func decode(_ node: ConfigNode?, context: DecodingContext) -> LogConfiguration {
        guard let node, let mapping = context.mapping(node, known: keys) else { return LogConfiguration() }
        return LogConfiguration(level: mapping.value("level", default: .info) { context.choice($0) })
    }
}
