import PerchCore

extension PerchConfiguration {
    /// The effective configuration as YAML in the layout of SPEC §1, for
    /// `perchd check`: every key with its value, defaults included, `${gateway}`
    /// substituted, secrets shown as `<redacted>` (a `*_file` shows its path).
    /// Absent optional sections appear as comments. Loading the text gives
    /// this configuration back, except for inline secrets.
    public func renderEffectiveYAML() -> String {
        var out = YAMLLines()
        out.add(0, "# Effective configuration: defaults filled in, secrets redacted.")
        gateway.render(into: &out)
        out.blank()
        uplink.render(into: &out)
        out.blank()
        mqttsn.render(into: &out)
        out.blank()
        coap.render(into: &out)
        out.blank()
        spool.render(into: &out)
        out.blank()
        if let gpio {
            gpio.render(into: &out)
        } else {
            out.add(0, "# gpio: off (section absent)")
        }
        out.blank()
        out.add(0, "status:")
        out.add(1, "topic: \(YAMLText.quoted(status.topic))")
        out.add(1, "interval: \(DurationText.format(status.interval))")
        out.add(1, "retain: \(status.retain)")
        out.add(1, "qos: \(status.qos)")
        out.blank()
        out.add(0, "log:")
        out.add(1, "level: \(log.level.rawValue)")
        return out.text
    }
}

extension Secret {
    /// `fileKey: "path"` for a file, `inlineKey: <redacted>` for an inline value.
    func rendered(inlineKey: String, fileKey: String) -> (key: String, value: String) {
        switch source {
        case let .file(path): (fileKey, YAMLText.quoted(path))
        case .inline: (inlineKey, description)
        }
    }
}

extension GatewayConfiguration {
    func render(into out: inout YAMLLines) {
        out.add(0, "gateway:")
        out.add(1, "id: \(YAMLText.quoted(id))")
        out.add(1, "state_dir: \(YAMLText.quoted(stateDirectory))")
    }
}

extension UplinkConfiguration {
    func render(into out: inout YAMLLines) {
        out.add(0, "uplink:")
        out.add(1, "url: \(YAMLText.quoted(url.description))")
        out.add(1, "protocol: \(YAMLText.quoted(protocolVersion.rawValue))")
        out.add(1, "client_id: \(YAMLText.quoted(clientID))")
        if let username {
            out.add(1, "username: \(YAMLText.quoted(username))")
        } else {
            out.add(1, "# username: none")
        }
        if let password {
            let (key, value) = password.rendered(inlineKey: "password", fileKey: "password_file")
            out.add(1, "\(key): \(value)")
        } else {
            out.add(1, "# password_file: none")
        }
        out.add(1, "keepalive: \(DurationText.format(keepAlive))")
        out.add(1, "clean_start: \(cleanStart)")
        out.add(1, "mountpoint: \(YAMLText.quoted(mountpoint))")
        out.add(1, "reconnect: " + YAMLText.flow([
            ("min", DurationText.format(reconnect.minimum)), ("max", DurationText.format(reconnect.maximum)),
        ]))
        out.add(1, "connect_timeout: \(DurationText.format(connectTimeout))")
        if let maximumPacketSize {
            out.add(1, "max_packet_size: \(maximumPacketSize)")
        } else {
            out.add(1, "# max_packet_size: none (an MQTT 5 broker announces its own)")
        }
        guard let tls else {
            out.add(1, "# tls: off (mqtt:// url)")
            return
        }
        out.add(1, "tls:")
        out.add(2, "ca_file: \(YAMLText.quoted(tls.caFile))")
        if let certificate = tls.clientCertificate {
            out.add(2, "cert_file: \(YAMLText.quoted(certificate.certificateFile))")
            out.add(2, "key_file: \(YAMLText.quoted(certificate.keyFile))")
        } else {
            out.add(2, "# cert_file, key_file: none (no mutual TLS)")
        }
        out.add(2, "server_name: \(YAMLText.quoted(tls.serverName))")
        out.add(2, "alpn: \(YAMLText.list(tls.alpn))")
        out.add(2, "insecure_skip_verify: \(tls.insecureSkipVerify)")
    }
}

extension MQTTSNConfiguration {
    func render(into out: inout YAMLLines) {
        out.add(0, "mqttsn:")
        out.add(1, "listen: \(YAMLText.list(listen.map(\.description)))")
        out.add(1, "gateway_id: \(gatewayID)")
        if let advertise {
            out.add(1, "advertise: " + YAMLText.flow([
                ("interval", DurationText.format(advertise.interval)),
                ("address", YAMLText.quoted(advertise.address.description)),
            ]))
        } else {
            out.add(1, "# advertise: off (absent)")
        }
        if predefinedTopics.isEmpty {
            out.add(1, "predefined_topics: {}")
        } else {
            out.add(1, "predefined_topics:")
            for entry in predefinedTopics {
                out.add(2, "\(entry.id): \(YAMLText.quoted(entry.topic))")
            }
        }
        out.add(1, "allow_clients: \(YAMLText.list(allowedClients))")
        out.add(1, "max_clients: \(maxClients)")
        out.add(1, "sleeping_buffer: \(sleepingBuffer)")
        out.add(1, "retry: " + YAMLText.flow([
            ("interval", DurationText.format(retry.interval)), ("count", String(retry.count)),
        ]))
        out.add(1, "receive_buffer: \(receiveBuffer)")
        if let rateLimit {
            out.add(1, "rate_limit: " + YAMLText.flow([("rate", String(rateLimit.rate)), ("burst", String(rateLimit.burst))]))
        } else {
            out.add(1, "rate_limit: off")
        }
    }
}

extension CoAPConfiguration {
    func render(into out: inout YAMLLines) {
        out.add(0, "coap:")
        out.add(1, "listen: \(YAMLText.list(listen.map(\.description)))")
        if let dtls {
            out.add(1, "dtls:")
            out.add(2, "listen: \(YAMLText.list(dtls.listen.map(\.description)))")
            out.add(2, "psk:")
            for psk in dtls.preSharedKeys {
                let (key, value) = psk.key.rendered(inlineKey: "key", fileKey: "key_file")
                out.add(3, "- " + YAMLText.flow([("identity", YAMLText.quoted(psk.identity)), (key, value)]))
            }
        } else {
            out.add(1, "# dtls: off (absent)")
        }
        if resources.isEmpty {
            out.add(1, "resources: []")
        } else {
            out.add(1, "resources:")
            for resource in resources {
                out.add(2, "- " + YAMLText.flow([
                    ("path", YAMLText.quoted(resource.path)), ("topic", YAMLText.quoted(resource.topic)),
                ]))
            }
        }
        out.add(1, "receive_buffer: \(receiveBuffer)")
    }
}

extension SpoolConfiguration {
    func render(into out: inout YAMLLines) {
        out.add(0, "spool:")
        out.add(1, "max_bytes: \(maxBytes)")
        out.add(1, "max_age: \(DurationText.format(maxAge))")
        out.add(1, "buffer_qos0: \(bufferQoS0)")
        out.add(1, "overflow: \(overflow.rawValue)")
        out.add(1, "commit_interval: \(DurationText.format(commitInterval))")
    }
}

extension GPIOConfiguration {
    func render(into out: inout YAMLLines) {
        out.add(0, "gpio:")
        out.add(1, "chip: \(YAMLText.quoted(chip))")
        if pins.isEmpty {
            out.add(1, "pins: []")
        } else {
            out.add(1, "pins:")
            for pin in pins {
                out.add(2, "- " + YAMLText.flow(pin.renderedPairs))
            }
        }
        if let homeAssistant {
            out.add(1, "homeassistant: " + YAMLText.flow([
                ("discovery", String(homeAssistant.discovery)), ("prefix", YAMLText.quoted(homeAssistant.prefix)),
            ]))
        } else {
            out.add(1, "# homeassistant: off (absent)")
        }
    }
}

extension GPIOPin {
    /// Only the keys of the pin's direction: the others would be errors.
    var renderedPairs: [(String, String)] {
        let line = switch self.line {
        case let .name(name): YAMLText.quoted(name)
        case let .offset(offset): String(offset)
        }
        var pairs = [
            ("name", YAMLText.quoted(name)), ("line", line),
            ("direction", direction.rawValue), ("active_low", String(activeLow)),
        ]
        switch direction {
        case .input:
            pairs += [("bias", bias.rawValue), ("debounce", DurationText.format(debounce))]
        case .output:
            pairs += [("initial", initial.rawValue), ("on_exit", onExit.rawValue)]
        }
        return pairs
    }
}
