extension CoAPConfiguration {
    static let keys = ["listen", "dtls", "resources", "receive_buffer"]

    static func decode(_ node: ConfigNode?, context: DecodingContext) -> CoAPConfiguration {
        let defaults = CoAPConfiguration()
        guard let node, let mapping = context.mapping(node, known: keys) else { return defaults }
        return CoAPConfiguration(
            listen: mapping.value("listen", default: defaults.listen) { context.listenAddresses($0) },
            dtls: mapping["dtls"].flatMap { DTLSConfiguration.decode($0, context: context) },
            resources: mapping.value("resources", default: []) { CoAPResource.decodeAll($0, context: context) },
            // The same bounds as mqttsn.receive_buffer: both are UDP listeners fed by bursts.
            receiveBuffer: mapping.value("receive_buffer", default: defaults.receiveBuffer) {
                context.size($0, in: .kibibytes(64) ... .gibibytes(1))
            }
        )
    }
}

extension DTLSConfiguration {
    static let keys = ["listen", "psk"]
    static let pskKeys = ["identity", "key", "key_file"]

    static func decode(_ node: ConfigNode, context: DecodingContext) -> DTLSConfiguration? {
        guard let mapping = context.mapping(node, known: keys) else { return nil }
        let listen = mapping.value("listen", default: defaultListen) { context.listenAddresses($0) }
        var keys: [PreSharedKey] = []
        if let pskNode = mapping.required("psk"), let entries = context.list(pskNode) {
            if entries.isEmpty { context.error(pskNode, "DTLS needs at least one pre-shared key") }
            var identities: [String: SourceLocation] = [:]
            for entry in entries {
                guard let psk = context.mapping(entry, known: pskKeys),
                      let identityNode = psk.required("identity"),
                      let identity = context.nonEmptyString(identityNode) else { continue }
                if let first = identities[identity] {
                    context.error(identityNode, "identity \"\(identity)\" is already used at \(context.originalLocation(first))")
                }
                identities[identity] = identities[identity] ?? identityNode.location
                guard psk.contains("key") || psk.contains("key_file") else {
                    context.error(KeyPath.child(entry.path, "key_file"), psk.location, "required key is missing (or key)")
                    continue
                }
                if let secret = context.secret(in: psk, inlineKey: "key", fileKey: "key_file") {
                    keys.append(PreSharedKey(identity: identity, key: secret))
                }
            }
        }
        return DTLSConfiguration(listen: listen, preSharedKeys: keys)
    }
}

extension CoAPResource {
    static let keys = ["path", "topic"]

    /// Paths that the CoAP server itself answers (SPEC §4).
    private static let reservedFirstSegments: Set<String> = ["ps", ".well-known"]

    static func decodeAll(_ node: ConfigNode, context: DecodingContext) -> [CoAPResource]? {
        guard let entries = context.list(node) else { return nil }
        var resources: [CoAPResource] = []
        var paths: [String: SourceLocation] = [:]
        for entry in entries {
            guard let mapping = context.mapping(entry, known: keys) else { continue }
            let pathNode = mapping.required("path")
            let path = pathNode.flatMap { pathNode in
                context.nonEmptyString(pathNode).flatMap { checkedPath($0, node: pathNode, context: context) }
            }
            let topic = mapping.required("topic").flatMap { context.topic($0) }
            guard let path, let topic, let pathNode else { continue }
            if let first = paths[path] {
                context.error(pathNode, "path \"\(path)\" is already used at \(context.originalLocation(first))")
                continue
            }
            paths[path] = pathNode.location
            resources.append(CoAPResource(path: path, topic: topic))
        }
        return resources
    }

    private static func checkedPath(_ path: String, node: ConfigNode, context: DecodingContext) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: \.isEmpty) {
            context.error(node, "expected a path such as \"t\" or \"node-7/t\" without leading, trailing or double slashes, got \(node.shown)")
            return nil
        }
        if let first = segments.first, reservedFirstSegments.contains(String(first)) {
            context.error(node, "paths under /\(first) are Perch's own")
            return nil
        }
        return path
    }
}
