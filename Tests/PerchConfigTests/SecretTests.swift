import PerchConfig
import PerchTestKit
import Testing

/// `*_file` secrets are read from real files at load time, with a warning
/// when other users can read them.
@Suite struct SecretTests {
    let loader = ConfigurationLoader(fileSystem: LocalFileSystem(), hostName: { "test-host" })

    @Test func privatePasswordFileIsReadWithoutWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("uplink.password", "s3cret\n", permissions: 0o600)

        let loaded = try loader.load(yaml: "uplink: { url: mqtt://h, password_file: \"\(path)\" }", fileName: "p.yaml")
        #expect(loaded.configuration.uplink.password == Secret(value: "s3cret", source: .file(path: path)))
        #expect(loaded.warnings.isEmpty)
    }

    @Test func onlyOneTrailingNewlineIsStripped() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("uplink.password", "two\n\n", permissions: 0o600)
        let loaded = try loader.load(yaml: "uplink: { url: mqtt://h, password_file: \"\(path)\" }", fileName: "p.yaml")
        #expect(loaded.configuration.uplink.password?.value == "two\n")
    }

    @Test func worldReadableSecretsGiveWarningsNamingKeyFileAndFix() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let password = try directory.write("uplink.password", "s3cret", permissions: 0o644)
        let psk = try directory.write("node-7", "0123456789abcdef\n", permissions: 0o604)
        let yaml = """
            uplink:
              url: mqtt://h
              password_file: "\(password)"
            coap:
              dtls:
                psk:
                  - { identity: node-7, key_file: "\(psk)" }
            """
        let loaded = try loader.load(yaml: yaml, fileName: "p.yaml")
        #expect(loaded.configuration.coap.dtls?.preSharedKeys == [
            PreSharedKey(identity: "node-7", key: Secret(value: "0123456789abcdef", source: .file(path: psk))),
        ])
        #expect(loaded.warnings.map(\.description) == [
            "p.yaml:3:18: warning: uplink.password_file: \(password) is readable by other users; run chmod 600 \(password)",
            "p.yaml:7:39: warning: coap.dtls.psk[0].key_file: \(psk) is readable by other users; run chmod 600 \(psk)",
        ])
    }

    @Test func worldReadableTLSKeyGivesWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificate = try directory.write("client.crt", "cert", permissions: 0o644)
        let key = try directory.write("client.key", "key", permissions: 0o644)
        let yaml = """
            uplink:
              url: mqtts://h
              tls: { cert_file: "\(certificate)", key_file: "\(key)", insecure_skip_verify: true }
            """
        let loaded = try loader.load(yaml: yaml, fileName: "p.yaml")
        #expect(loaded.configuration.uplink.tls?.clientCertificate == ClientCertificateConfiguration(certificateFile: certificate, keyFile: key))
        #expect(loaded.warnings.map(\.keyPath) == ["uplink.tls.key_file", "uplink.tls.insecure_skip_verify"])
    }

    @Test func missingFileIsAnErrorAtItsKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.url.appendingPathComponent("absent").path
        let errors = thrownError(ConfigurationErrors.self) {
            try loader.load(yaml: "uplink:\n  url: mqtt://h\n  password_file: \(missing)\n", fileName: "p.yaml")
        }
        #expect(errors?.description == "p.yaml:3:18: uplink.password_file: cannot read \(missing): no such file")
    }

    @Test func configurationFileIsReadFromDisk() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("perch.yaml", "uplink:\n  url: mqtt://h\n  keepalive: soon\n", permissions: 0o644)
        let errors = thrownError(ConfigurationErrors.self) { try loader.load(path: path) }
        #expect(errors?.description == "\(path):3:14: uplink.keepalive: expected a duration such as 250ms, 30s, 15m or 7d, got \"soon\"")
        let absent = thrownError(ConfigurationErrors.self) { try loader.load(path: path + ".absent") }
        #expect(absent?.description == "\(path).absent:1:1: cannot read the configuration file: no such file")
    }
}

extension SecretTests {
    @Test func directoryIsNotASecretFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.path
        let errors = thrownError(ConfigurationErrors.self) {
            try loader.load(yaml: "uplink:\n  url: mqtts://h\n  tls:\n    ca_file: \(path)\n", fileName: "p.yaml")
        }
        #expect(errors?.description == "p.yaml:4:14: uplink.tls.ca_file: cannot read \(path): not a regular file")
    }
}
