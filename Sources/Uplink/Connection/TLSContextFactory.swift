import NIOCore
import NIOSSL

/// Turns `Uplink.Configuration.TLS` into a swift-nio-ssl client context.
enum TLSContextFactory {
    /// A client context that trusts `caFile` (or the system's roots), presents
    /// the client certificate when one is configured and offers the ALPN names.
    /// Files are read here, on every connection attempt, so that renewed
    /// certificates are picked up without a restart.
    static func makeContext(_ tls: Uplink.Configuration.TLS) throws(UplinkError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = tls.caFile {
            configuration.trustRoots = .certificates(try loadCertificates(caFile, role: "CA file"))
        }
        switch (tls.certificateFile, tls.keyFile) {
        case (let certificateFile?, let keyFile?):
            configuration.certificateChain = try loadCertificates(certificateFile, role: "client certificate").map { .certificate($0) }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw .tlsConfigurationInvalid(detail: "cannot read the client key \(keyFile): \(TLSErrorDescription.describe(error))")
            }
        case (nil, nil):
            break
        case (.some, nil):
            throw .tlsConfigurationInvalid(detail: "a client certificate needs a key file as well")
        case (nil, .some):
            throw .tlsConfigurationInvalid(detail: "a client key needs a certificate file as well")
        }
        configuration.applicationProtocols = tls.alpnProtocols
        // The chain is verified here; the name by `ServerNameVerifier`, which
        // checks only the configured name (never the connected address).
        configuration.certificateVerification = tls.insecureSkipVerify ? .none : .noHostnameVerification
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsConfigurationInvalid(detail: TLSErrorDescription.describe(error))
        }
    }

    /// The name the certificate must carry: the configured server name, else
    /// the url's host (an IP literal is then matched against IP SANs).
    static func verificationName(tls: Uplink.Configuration.TLS, host: String) -> String {
        tls.serverName ?? host
    }

    /// The SNI and verification name: the configured server name, else the
    /// host. `nil` for an IP literal, which must not be sent as SNI (RFC 6066
    /// §3); swift-nio-ssl then checks the certificate against the peer's address.
    static func serverHostname(tls: Uplink.Configuration.TLS, host: String) -> String? {
        let name = tls.serverName ?? host
        let isIPLiteral = (try? SocketAddress(ipAddress: name, port: 0)) != nil
        return isIPLiteral || name.isEmpty ? nil : name
    }

    private static func loadCertificates(_ path: String, role: String) throws(UplinkError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .tlsConfigurationInvalid(detail: "cannot read the \(role) \(path): \(TLSErrorDescription.describe(error))")
        }
        guard !certificates.isEmpty else {
            throw .tlsConfigurationInvalid(detail: "the \(role) \(path) holds no PEM certificate")
        }
        return certificates
    }
}
