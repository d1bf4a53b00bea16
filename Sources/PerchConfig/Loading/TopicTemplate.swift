/// `${…}` substitution and topic-name rules for every topic string in the file.
enum TopicTemplate {
    /// Replaced by `gateway.id` at load time (SPEC §1).
    static let gatewayVariable = "${gateway}"
    /// Replaced by a sensor's client id at run time; only in `uplink.mountpoint`.
    static let clientIDVariable = "${clientid}"

    /// What a string may contain.
    struct Rules {
        /// `${clientid}` is kept for run time instead of being an error.
        var allowsClientID = false
        /// The empty string is valid (the mountpoint's default).
        var allowsEmpty = false
        /// Checked as an MQTT topic name: no wildcards, no NUL, at most 65535 bytes.
        var isTopic = true
        /// The key that may hold `${clientid}`, for the error message.
        static let clientIDKey = "uplink.mountpoint"
    }

    /// The text with `${gateway}` replaced, or `nil` after recording errors.
    static func substitute(_ text: String, gatewayID: String, rules: Rules, node: ConfigNode, context: DecodingContext) -> String? {
        var result = ""
        var rest = Substring(text)
        var isValid = true
        while let start = rest.firstRange(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                context.error(node, "unterminated \"${\" in \"\(text)\"")
                return nil
            }
            let variable = String(rest[start.lowerBound...end])
            switch variable {
            case gatewayVariable:
                result += gatewayID
            case clientIDVariable where rules.allowsClientID:
                result += variable
            case clientIDVariable:
                context.error(node, "\(clientIDVariable) is only allowed in \(Rules.clientIDKey)")
                isValid = false
            default:
                context.error(node, "unknown variable \"\(variable)\"; known: \(gatewayVariable)"
                    + (rules.allowsClientID ? ", \(clientIDVariable)" : ""))
                isValid = false
            }
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        guard isValid else { return nil }
        if rules.isTopic, let problem = topicProblem(result, allowsEmpty: rules.allowsEmpty) {
            context.error(node, "\(problem), got \(node.shown)")
            return nil
        }
        return result
    }

    /// Why `topic` is not a valid MQTT topic name, or `nil` if it is.
    static func topicProblem(_ topic: String, allowsEmpty: Bool) -> String? {
        // MQTT 5.0 §4.7.3: at least one character, UTF-8, no NUL, at most 65535 bytes.
        if topic.isEmpty { return allowsEmpty ? nil : "a topic must not be empty" }
        if topic.unicodeScalars.contains("\0") { return "a topic must not contain NUL" }
        if topic.utf8.count > 65_535 { return "a topic must be at most 65535 bytes" }
        // MQTT 5.0 §4.7.1: wildcards are for filters, never for names.
        if topic.contains("+") || topic.contains("#") { return "a topic name must not contain the wildcards + or #" }
        return nil
    }
}

extension DecodingContext {
    /// A topic string with `${gateway}` substituted and the topic rules checked.
    func topic(_ node: ConfigNode, rules: TopicTemplate.Rules = TopicTemplate.Rules()) -> String? {
        guard let text = string(node) else { return nil }
        return TopicTemplate.substitute(text, gatewayID: gatewayID, rules: rules, node: node, context: self)
    }
}
