import NIOCore
import NIOSSL

/// Words for the errors swift-nio-ssl and BoringSSL report, for `lastError`.
enum TLSErrorDescription {
    /// BoringSSL's `error:…:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED`
    /// becomes "certificate verify failed"; other errors keep their description.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOSSLError:
            switch error {
            case .handshakeFailed(let inner):
                return describe(inner)
            default:
                return String(describing: error)
            }
        case let error as BoringSSLError:
            switch error {
            case .sslError(let stack), .unknownError(let stack):
                let reasons = stack.map { reason(of: String(describing: $0)) }
                return reasons.isEmpty ? String(describing: error) : reasons.joined(separator: "; ")
            default:
                return String(describing: error)
            }
        case let error as NIOSSLExtraError:
            return String(describing: error)
        default:
            return String(describing: error)
        }
    }

    /// Is this error from the TLS layer (as opposed to TCP or MQTT)?
    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    /// The reason field of an OpenSSL-style error line, in lower case with
    /// spaces: `Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:
    /// CERTIFICATE_VERIFY_FAILED at /…/handshake.cc:320` → "certificate verify failed".
    static func reason(of line: String) -> String {
        var text = Substring(line)
        if let location = text.firstRange(of: " at ") {
            text = text[..<location.lowerBound]
        }
        guard let last = text.split(separator: ":").last else { return line }
        let words = last.drop { $0 == " " }
        guard !words.isEmpty, words.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else { return line }
        return String(words.lowercased().map { $0 == "_" ? " " : $0 })
    }
}
