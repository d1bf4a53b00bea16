import Foundation

/// A throw-away PKI generated with the `openssl` CLI at run time (P-256 keys, valid 3 days).
///
/// Nothing private is ever committed: every run makes its own CA, server and
/// client certificates, plus an unrelated "wrong" CA for negative tests.
public struct TestCertificates: Sendable {
    /// The CA that signed the server and client certificates.
    public let caFile: String
    /// A self-signed CA unrelated to everything else: verification against it must fail.
    public let wrongCAFile: String
    /// The broker's certificate: CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1.
    public let serverCertFile: String
    /// The broker's private key.
    public let serverKeyFile: String
    /// A client certificate (CN=perch-test-client) signed by `caFile`.
    public let clientCertFile: String
    /// The client certificate's private key.
    public let clientKeyFile: String
    /// A client certificate signed by `wrongCAFile`: a broker requiring certificates must refuse it.
    public let wrongClientCertFile: String
    /// The private key of `wrongClientCertFile`.
    public let wrongClientKeyFile: String

    /// Generates the whole set into `directory`.
    public static func generate(in directory: TemporaryDirectory, openssl: String = "/usr/bin/openssl") async throws
        -> TestCertificates
    {
        let config = try directory.write(Self.opensslConfig, to: "openssl.cnf")
        let tool = OpenSSLRunner(openssl: openssl, config: config, directory: directory)
        try await tool.makeCA(name: "ca", subject: "/CN=Perch Test CA")
        try await tool.makeCA(name: "wrong-ca", subject: "/CN=Perch Wrong CA")
        try await tool.makeLeaf(name: "server", subject: "/CN=localhost", extensions: "server_ext", signer: "ca")
        try await tool.makeLeaf(
            name: "client", subject: "/CN=perch-test-client", extensions: "client_ext", signer: "ca")
        try await tool.makeLeaf(
            name: "wrong-client", subject: "/CN=perch-wrong-client", extensions: "client_ext", signer: "wrong-ca")
        return TestCertificates(
            caFile: directory.file("ca.crt"),
            wrongCAFile: directory.file("wrong-ca.crt"),
            serverCertFile: directory.file("server.crt"),
            serverKeyFile: directory.file("server.key"),
            clientCertFile: directory.file("client.crt"),
            clientKeyFile: directory.file("client.key"),
            wrongClientCertFile: directory.file("wrong-client.crt"),
            wrongClientKeyFile: directory.file("wrong-client.key")
        )
    }

    // Our own config so the system openssl.cnf cannot add or duplicate extensions.
    private static let opensslConfig = """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = unused
        [ca_ext]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        [server_ext]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature, keyEncipherment
        extendedKeyUsage = serverAuth
        subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [client_ext]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = clientAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """
}

/// Runs the `openssl` commands that build a `TestCertificates` set.
private struct OpenSSLRunner {
    let openssl: String
    let config: String
    let directory: TemporaryDirectory

    private var newKey: [String] {
        ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    }

    func makeCA(name: String, subject: String) async throws {
        try await run(["req", "-config", config, "-x509", "-new"] + newKey + [
            "-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).crt"),
            "-days", "3", "-subj", subject, "-extensions", "ca_ext",
        ])
    }

    func makeLeaf(name: String, subject: String, extensions: String, signer: String) async throws {
        let request = directory.file("\(name).csr")
        try await run(["req", "-config", config, "-new"] + newKey + [
            "-keyout", directory.file("\(name).key"), "-out", request, "-subj", subject,
        ])
        try await run([
            "x509", "-req", "-in", request,
            "-CA", directory.file("\(signer).crt"), "-CAkey", directory.file("\(signer).key"),
            "-set_serial", "0x" + String(UInt64.random(in: 1...UInt64(Int64.max)), radix: 16),
            "-days", "3", "-extfile", config, "-extensions", extensions,
            "-out", directory.file("\(name).crt"),
        ])
    }

    private func run(_ arguments: [String]) async throws {
        let child = try ChildProcess.start(openssl, arguments: arguments)
        let status = try await child.waitForExit(timeout: .seconds(30))
        guard status.isSuccess else {
            throw TestKitError.toolFailed(
                tool: "openssl " + arguments.prefix(2).joined(separator: " "), status: status,
                output: child.outputText)
        }
    }
}
