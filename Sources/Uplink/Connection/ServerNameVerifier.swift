#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOSSL

/// Checks that the broker's certificate names the configured server: the one
/// name Perch verifies, always `uplink.tls.server_name` (else the url's host).
///
/// swift-nio-ssl's own check also accepts a certificate whose IP address SAN
/// equals the address connected to, whatever name was asked for: a
/// certificate for `broker.test` and `127.0.0.1` passed with `server_name:
/// wrong.test`. So the handshake runs with `.noHostnameVerification` (the
/// chain is still verified by BoringSSL against the CA) and this check runs
/// once the chain verified, before any byte of MQTT goes out. It follows
/// RFC 6125 §6.4: DNS names from the subjectAltName, a wildcard only as the
/// whole left-most label; an IP address SAN only when the expected name is
/// itself an IP literal. A certificate without subjectAltName is refused
/// (the Common Name fallback is deprecated, RFC 6125 §6.4.4).
struct ServerNameVerifier: Sendable {
    /// The name the certificate must carry, as configured.
    let expectedName: String

    /// Why a certificate was refused: names what was expected and what it offers.
    struct Mismatch: Error, Sendable, CustomStringConvertible {
        var expected: String
        var offered: [String]

        var description: String {
            guard !offered.isEmpty else {
                return "the certificate has no subjectAltName, so it cannot name \(expected)"
            }
            return "the certificate is for \(offered.joined(separator: ", ")), not for \(expected) (uplink.tls.server_name)"
        }
    }

    /// Throws `Mismatch` unless `certificate` names `expectedName`.
    func verify(_ certificate: NIOSSLCertificate) throws {
        let wanted = Self.lowercased(expectedName.hasSuffix(".") ? String(expectedName.dropLast()) : expectedName)
        let wantedAddress = Self.addressBytes(of: expectedName)
        var offered: [String] = []
        for name in certificate._subjectAlternativeNames() {
            let bytes = Array(name.contents)
            switch name.nameType {
            case .dnsName:
                let dnsName = Self.lowercased(String(decoding: bytes, as: UTF8.self))
                offered.append("DNS:\(dnsName)")
                if wantedAddress == nil, Self.matches(dnsName, wanted) { return }
            case .ipAddress:
                offered.append("IP:\(Self.presentation(of: bytes))")
                if let wantedAddress, wantedAddress == bytes { return }
            default:
                continue
            }
        }
        throw Mismatch(expected: expectedName, offered: offered)
    }

    /// RFC 6125 §6.4.3: `*` only as the whole left-most label, matching
    /// exactly one label; never against an IP literal.
    static func matches(_ pattern: String, _ name: String) -> Bool {
        guard pattern.hasPrefix("*.") else { return pattern == name }
        let suffix = pattern.dropFirst(1)  // ".example.com"
        guard suffix.contains("."), suffix.count > 1, name.hasSuffix(suffix) else { return false }
        let label = name.dropLast(suffix.count)
        return !label.isEmpty && !label.contains(".")
    }

    private static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// The 4 or 16 bytes of an IP literal, `nil` for a host name.
    static func addressBytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        let unbracketed = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        if inet_pton(AF_INET6, unbracketed, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// An IP address SAN as text (`127.0.0.1`, `::1`).
    static func presentation(of bytes: [UInt8]) -> String {
        let family = bytes.count == 4 ? AF_INET : bytes.count == 16 ? AF_INET6 : -1
        guard family != -1 else { return bytes.map { String($0, radix: 16) }.joined(separator: ":") }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let written = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count))
        }
        guard written != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
