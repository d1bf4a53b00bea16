import CoAPServer
import MQTTSNServer
import PerchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one line perchd logs when it stops on an error (issue 20, item 11).
///
/// A listener that cannot bind is the common case: the line names the
/// address, the protocol and the system's reason, e.g.
/// `cannot listen on 127.0.0.1:1884/udp for MQTT-SN: Address already in use`,
/// rather than the service group's view of which service ended first.
struct DaemonFailure: CustomStringConvertible {
    let error: any Error
    /// Tells a `coaps://` address from a `coap://` one.
    let coapDTLSListen: [ListenAddress]

    init(_ error: any Error, coapDTLSListen: [ListenAddress]) {
        self.error = error
        self.coapDTLSListen = coapDTLSListen
    }

    var description: String {
        switch error {
        case let MQTTSNServerError.bindFailed(address, reason):
            return Self.bindLine(address: address, part: "MQTT-SN", reason: reason)
        case let CoAPServerError.bindFailed(address, reason):
            let isDTLS = coapDTLSListen.contains { $0.description == address }
            return Self.bindLine(address: address, part: isDTLS ? "CoAP over DTLS" : "CoAP", reason: reason)
        case let error as MQTTSNServerError:
            return "\(error)"
        case let error as CoAPServerError:
            return "\(error)"
        default:
            return "perchd stopped on an error: \(error)"
        }
    }

    private static func bindLine(address: String, part: String, reason: String) -> String {
        "cannot listen on \(address)/udp for \(part): \(systemReason(reason))"
    }

    /// The reason as the system words it. NIO's `IOError` text names the call
    /// and ends in `(errno: N)` (`bind(descriptor:ptr:bytes:): Address already
    /// in use) (errno: 98)`); `strerror(N)` says the same in one phrase.
    static func systemReason(_ reason: String) -> String {
        let marker = "(errno: "
        guard reason.hasSuffix(")"), let start = reason.range(of: marker, options: .backwards) else { return reason }
        let digits = reason[start.upperBound..<reason.index(before: reason.endIndex)]
        guard let code = Int32(digits), code > 0 else { return reason }
        return String(cString: strerror(code))
    }
}
