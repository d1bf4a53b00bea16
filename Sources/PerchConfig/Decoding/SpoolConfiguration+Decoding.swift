extension SpoolConfiguration {
    static let keys = ["max_bytes", "max_age", "buffer_qos0", "overflow", "commit_interval"]

    static func decode(_ node: ConfigNode?, context: DecodingContext) -> SpoolConfiguration {
        let defaults = SpoolConfiguration()
        guard let node, let mapping = context.mapping(node, known: keys) else { return defaults }
        return SpoolConfiguration(
            maxBytes: mapping.value("max_bytes", default: defaults.maxBytes) {
                context.size($0, in: .kibibytes(64) ... .gibibytes(1024))
            },
            maxAge: mapping.value("max_age", default: defaults.maxAge) {
                context.duration($0, in: .seconds(1) ... .seconds(3_650 * 86_400))
            },
            bufferQoS0: mapping.value("buffer_qos0", default: defaults.bufferQoS0) { context.bool($0) },
            overflow: mapping.value("overflow", default: defaults.overflow) { context.choice($0) },
            // 0ms commits every message at once; more than a minute in memory only
            // would make a power loss costly (SPEC §5).
            commitInterval: mapping.value("commit_interval", default: defaults.commitInterval) {
                context.duration($0, in: .zero ... .seconds(60))
            }
        )
    }
}
