internal import CLibCoAP
import Logging

extension CoAPEngine {
    /// At `debug`, a 4.xx/5.xx answer gets one line naming the peer, the
    /// request and why (issue 20), at most five per peer in 10 s
    /// (`PeerLogBudget`; the next line says how many were held back). Above
    /// `debug` this is one comparison.
    func logRefusal(_ answer: CoAPResponse, session: OpaquePointer, request: CoAPRequest?) {
        guard logger.logLevel <= .debug, answer.code.classAndDetail.klass >= 4 else { return }
        var metadata: Logger.Metadata = ["code": "\(answer.code.text)"]
        if let request {
            metadata["method"] = "\(request.method)"
            metadata["path"] = "/\(request.path)"
        }
        if !answer.payload.isEmpty {
            metadata["reason"] = "\(String(decoding: answer.payload.prefix(120), as: UTF8.self))"
        }
        logPerPeer("CoAP request refused", session: session, metadata: metadata)
    }

    /// At `debug`, an observation registered or deregistered, rate-limited the same way.
    func logObservation(_ change: String, topic: String, session: OpaquePointer) {
        guard logger.logLevel <= .debug else { return }
        logPerPeer("CoAP observation \(change)", session: session, metadata: ["topic": "\(topic)"])
    }

    private func logPerPeer(_ text: String, session: OpaquePointer, metadata: Logger.Metadata) {
        let peer = Self.peer(of: session)
        guard let held = debugBudget.admit(peer, now: .now) else { return }
        var metadata = metadata
        metadata["peer"] = "\(peer)"
        if held > 0 { metadata["held_back"] = "\(held)" }
        logger.debug("\(text)", metadata: metadata)
    }

    /// The session's remote address as libcoap prints it: `127.0.0.1:5683`,
    /// `[::1]:5683`.
    static func peer(of session: OpaquePointer) -> String {
        guard let address = coap_session_get_addr_remote(session) else { return "?" }
        var buffer = [UInt8](repeating: 0, count: 64)
        let length = buffer.withUnsafeMutableBufferPointer { coap_print_addr(address, $0.baseAddress, $0.count) }
        return String(decoding: buffer.prefix(min(length, buffer.count)), as: UTF8.self)
    }
}

extension CoAPResponse.Code {
    /// `4.04`-style.
    var text: String {
        let (klass, detail) = classAndDetail
        return "\(klass).\(detail < 10 ? "0" : "")\(detail)"
    }
}
