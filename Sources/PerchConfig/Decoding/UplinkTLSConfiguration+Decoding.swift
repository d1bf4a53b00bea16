extension UplinkTLSConfiguration {
    static let keys = ["ca_file", "cert_file", "key_file", "server_name", "alpn", "insecure_skip_verify"]

    /// Decodes `uplink.tls`: `nil` for `mqtt://` (where a `tls` section is an
    /// error, since the user expects encryption the url does not give).
    static func decode(_ node: ConfigNode?, url: BrokerURL, urlLocation: SourceLocation, context: DecodingContext) -> UplinkTLSConfiguration? {
        guard url.isTLS else {
            if let node {
                context.error(node, "TLS settings need an mqtts:// url, but uplink.url is \(url)")
            }
            return nil
        }
        let mapping = node.flatMap { context.mapping($0, known: keys) }
            ?? MappingReader(emptyAt: "uplink.tls", location: urlLocation, context: context)

        let caFile: String
        if let caNode = mapping["ca_file"] {
            caFile = context.readableFile(caNode) ?? systemCAFile
        } else {
            caFile = systemCAFile
            context.checkDefaultFile(systemCAFile, keyPath: "uplink.tls.ca_file", location: urlLocation)
        }

        var clientCertificate: ClientCertificateConfiguration?
        switch (mapping["cert_file"], mapping["key_file"]) {
        case let (certNode?, keyNode?):
            let certificate = context.readableFile(certNode)
            let key = context.readableFile(keyNode, isPrivate: true)
            if let certificate, let key {
                clientCertificate = ClientCertificateConfiguration(certificateFile: certificate, keyFile: key)
            }
        case let (certNode?, nil):
            context.error(certNode, "cert_file needs key_file too (mutual TLS needs both)")
        case let (nil, keyNode?):
            context.error(keyNode, "key_file needs cert_file too (mutual TLS needs both)")
        case (nil, nil):
            break
        }

        let serverName = mapping.value("server_name", default: url.host) { context.nonEmptyString($0) }
        let alpn = mapping.value("alpn", default: []) { node -> [String]? in
            guard let names = context.stringList(node) else { return nil }
            // RFC 7301 §3.1: protocol names are 1…255 bytes.
            guard names.allSatisfy({ (1...255).contains($0.utf8.count) }) else {
                context.error(node, "every ALPN protocol name must be 1 to 255 bytes")
                return nil
            }
            return names
        }
        let insecure = mapping.value("insecure_skip_verify", default: false) { context.bool($0) }
        if insecure, let node = mapping["insecure_skip_verify"] {
            context.warning(node.path, node.location,
                            "the broker's certificate is not verified: anyone between Perch and the broker can read and change the traffic")
        }
        return UplinkTLSConfiguration(
            caFile: caFile, clientCertificate: clientCertificate, serverName: serverName,
            alpn: alpn, insecureSkipVerify: insecure
        )
    }
}
