extension UplinkConfiguration {
    static let keys = [
        "url", "protocol", "client_id", "username", "password", "password_file",
        "keepalive", "clean_start", "mountpoint", "reconnect", "connect_timeout", "max_packet_size", "tls",
    ]

    /// Decodes `uplink`; `nil` when it cannot be used (errors recorded).
    static func decode(_ node: ConfigNode?, rootLocation: SourceLocation, context: DecodingContext) -> UplinkConfiguration? {
        guard let node else {
            context.error("uplink.url", rootLocation, "required key is missing")
            return nil
        }
        guard let mapping = context.mapping(node, known: keys) else { return nil }
        let url = mapping.required("url").flatMap { brokerURL($0, context: context) }

        let protocolVersion = mapping.value("protocol", default: MQTTProtocolVersion.v5) { node in
            if let text = node.text, let version = MQTTProtocolVersion(rawValue: text) { return version }
            context.error(node, "expected \"3.1.1\" or \"5\", got \(node.shown)")
            return nil
        }
        let clientID = mapping.value("client_id", default: "") { node in
            context.topic(node, rules: .init(isTopic: false)).flatMap { id in
                if id.isEmpty { context.error(node, "must not be empty"); return nil }
                return id
            }
        }
        let username = mapping["username"].flatMap { context.string($0) }
        let password = context.secret(in: mapping, inlineKey: "password", fileKey: "password_file")
        // MQTT 3.1.1 §3.1.2.9: the password flag needs the user name flag; MQTT 5 lifts this.
        if protocolVersion == .v3_1_1, password != nil, username == nil,
           let passwordNode = mapping["password_file"] ?? mapping["password"] {
            context.error(passwordNode, "MQTT 3.1.1 sends a password only with a username; set uplink.username or use protocol \"5\"")
        }
        // MQTT 3.1.1 §3.1.2.10, MQTT 5.0 §3.1.2.10: a two-byte number of seconds.
        let keepAlive = mapping.value("keepalive", default: Duration.seconds(30)) {
            context.duration($0, in: .zero ... .seconds(65_535), wholeSeconds: true)
        }
        let cleanStart = mapping.value("clean_start", default: false) { context.bool($0) }
        let mountpoint = mapping.value("mountpoint", default: "") {
            context.topic($0, rules: .init(allowsClientID: true, allowsEmpty: true))
        }
        let reconnect = mapping["reconnect"].map { ReconnectConfiguration.decode($0, context: context) } ?? ReconnectConfiguration()
        let connectTimeout = mapping.value("connect_timeout", default: Duration.seconds(10)) {
            context.duration($0, in: .milliseconds(100) ... .seconds(300))
        }
        // MQTT 3.1.1 §2.2.3 / 5.0 §1.5.5: a packet is at most 268,435,455 bytes
        // of remaining length; below 64 bytes no PUBLISH with a topic fits.
        let maximumPacketSize = mapping["max_packet_size"].flatMap {
            context.size($0, in: ByteCount(bytes: 64) ... ByteCount(bytes: 268_435_460))
        }
        let tls = url.flatMap { url in
            UplinkTLSConfiguration.decode(mapping["tls"], url: url, urlLocation: mapping["url"]?.location ?? mapping.location, context: context)
        }

        guard let url else { return nil }
        return UplinkConfiguration(
            url: url, protocolVersion: protocolVersion,
            clientID: clientID.isEmpty ? "perch-\(context.gatewayID)" : clientID,
            username: username, password: password, keepAlive: keepAlive, cleanStart: cleanStart,
            mountpoint: mountpoint, reconnect: reconnect, connectTimeout: connectTimeout,
            maximumPacketSize: maximumPacketSize, tls: tls
        )
    }

    private static func brokerURL(_ node: ConfigNode, context: DecodingContext) -> BrokerURL? {
        guard let text = context.string(node) else { return nil }
        switch BrokerURL.parse(text) {
        case let .success(url):
            return url
        case .failure(.scheme):
            context.error(node, "expected an mqtt:// or mqtts:// url, got \(node.shown)")
        case .failure(.host):
            context.error(node, "expected a host name, IPv4 address or [IPv6] address after the scheme, got \(node.shown)")
        case let .failure(.port(port)):
            context.error(node, "expected a port between 1 and 65535, got \"\(port)\"")
        case .failure(.userInfo):
            context.error(node, "user names do not belong in the url; use uplink.username and uplink.password_file")
        case let .failure(.trailing(rest)):
            context.error(node, "unexpected \"\(rest)\" after the host and port; an MQTT url has no path or query")
        }
        return nil
    }
}

extension ReconnectConfiguration {
    static let keys = ["min", "max"]

    static func decode(_ node: ConfigNode, context: DecodingContext) -> ReconnectConfiguration {
        let defaults = ReconnectConfiguration()
        guard let mapping = context.mapping(node, known: keys) else { return defaults }
        let range = Duration.milliseconds(1) ... Duration.seconds(86_400)
        let minimum = mapping.value("min", default: defaults.minimum) { context.duration($0, in: range) }
        let maximum = mapping.value("max", default: defaults.maximum) { context.duration($0, in: range) }
        if minimum > maximum {
            let culprit = mapping["min"] ?? mapping["max"] ?? node
            context.error(KeyPath.child(node.path, "min"), culprit.location,
                          "min (\(DurationText.format(minimum))) must not be greater than max (\(DurationText.format(maximum)))")
        }
        return ReconnectConfiguration(minimum: minimum, maximum: maximum)
    }
}
