extension GatewayConfiguration {
    static let keys = ["id", "state_dir"]

    /// Decodes `gateway`; `hostName` is the default id. Sets `context.gatewayID`.
    static func decode(_ node: ConfigNode?, hostName: String, rootLocation: SourceLocation, context: DecodingContext) -> GatewayConfiguration {
        let path = "gateway"
        let mapping = node.flatMap { context.mapping($0, known: keys) }
        var id = hostName
        if let idNode = mapping?["id"] {
            id = context.string(idNode).flatMap { checkedID($0, node: idNode, context: context) } ?? hostName
        } else if let problem = idProblem(hostName) {
            context.error(KeyPath.child(path, "id"), mapping?.location ?? rootLocation,
                          "the host name \"\(hostName)\" cannot be the default: \(problem); set gateway.id")
        }
        context.gatewayID = id
        let stateDirectory = mapping?.value("state_dir", default: defaultStateDirectory) { context.nonEmptyString($0) }
        return GatewayConfiguration(id: id, stateDirectory: stateDirectory ?? defaultStateDirectory)
    }

    private static func checkedID(_ id: String, node: ConfigNode, context: DecodingContext) -> String? {
        if let problem = idProblem(id) {
            context.error(node, problem)
            return nil
        }
        return id
    }

    /// The id becomes one topic level wherever `${gateway}` is used, so it
    /// may hold no level separator or wildcard (MQTT 5.0 §4.7).
    private static func idProblem(_ id: String) -> String? {
        if id.isEmpty { return "must not be empty" }
        if id.contains(where: { "/+#$\0".contains($0) }) { return "must not contain /, +, #, $ or NUL" }
        return nil
    }
}
