#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MQTTCodec
import NIOCore
import NIOPosix
import NIOSSL

extension UplinkError {
    /// The error a failed connection reports, in words, from whatever NIO,
    /// swift-nio-ssl or the codec threw. Before CONNACK every TLS error counts
    /// as a failed handshake: with TLS 1.3 the broker's refusal of a client
    /// certificate arrives only after the client finished its side.
    static func translating(_ error: any Error, endpoint: String, isEstablished: Bool = false) -> UplinkError {
        switch error {
        case let error as UplinkError:
            return error
        case let error as ServerNameVerifier.Mismatch:
            return .tlsHandshakeFailed(endpoint: endpoint, detail: error.description)
        case NIOSSLError.handshakeFailed:
            return .tlsHandshakeFailed(endpoint: endpoint, detail: TLSErrorDescription.describe(error))
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return .tlsHandshakeFailed(endpoint: endpoint, detail: "the certificate does not name the server: \(error)")
        case let error where TLSErrorDescription.isTLSError(error) && !isEstablished:
            return .tlsHandshakeFailed(endpoint: endpoint, detail: TLSErrorDescription.describe(error))
        case let error where TLSErrorDescription.isTLSError(error):
            return .connectionLost(detail: "TLS: \(TLSErrorDescription.describe(error))")
        case let error as MQTTCodecError:
            return .protocolViolation("malformed packet: \(error)")
        case let error as NIOConnectionError:
            let causes = error.connectionErrors.map { "\($0.target): \(describe($0.error))" }
            let detail = causes.isEmpty ? (error.dnsAAAAError ?? error.dnsAError).map { "name resolution failed: \($0)" } : nil
            return .connectionFailed(endpoint: endpoint, detail: detail ?? causes.joined(separator: "; "))
        case ChannelError.connectTimeout(let amount):
            return .connectionFailed(endpoint: endpoint, detail: "TCP connect timed out after \(amount.duration)")
        default:
            return .connectionLost(detail: describe(error))
        }
    }

    /// `IOError` prints the syscall and NIO's wording around the errno; the
    /// reason ("Connection refused") is what an operator needs.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode))
        }
        return String(describing: error)
    }
}
