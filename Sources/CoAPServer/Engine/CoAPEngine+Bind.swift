internal import CLibCoAP
import Glibc
import PerchCore

extension CoAPEngine {
    /// Binds one UDP endpoint (`COAP_PROTO_UDP` for `coap://`, `COAP_PROTO_DTLS`
    /// for `coaps://`) and returns the address it is bound to.
    func bind(_ address: ListenAddress, protocol proto: coap_proto_t, in context: OpaquePointer) throws(CoAPServerError) -> ListenAddress {
        var socketAddress = coap_address_t()
        let status = perch_coap_address_resolve(address.host, String(address.port), &socketAddress)
        guard status == 0 else {
            throw .invalidAddress(address.description, reason: String(cString: gai_strerror(status)))
        }
        // Port 0 always gets a fresh port; a fixed one may be taken by a socket
        // that libcoap's SO_REUSEADDR would silently share it with.
        if address.port != 0 {
            let probe = perch_udp_bind_probe(&socketAddress)
            guard probe == 0 else {
                throw .bindFailed(address: address.description, reason: String(cString: strerror(probe)))
            }
        }
        guard let endpoint = coap_new_endpoint(context, &socketAddress, proto) else {
            throw .bindFailed(address: address.description, reason: "libcoap could not bind")
        }
        // libcoap 4.3.1 has no accessor for an endpoint's address, but it keeps
        // what getsockname returned and prints it ("127.0.0.1:40123 UDP"): the
        // port chosen for port 0 comes from there.
        guard let text = coap_endpoint_str(endpoint), let port = Self.port(inEndpointText: String(cString: text)) else {
            if configuration.receiveBufferSize != nil {
                logger.warning("CoAP endpoint address unknown: coap.receive_buffer not applied", metadata: ["address": "\(address)"])
            }
            return address
        }
        applyReceiveBuffer(to: socketAddress, port: port, listening: address)
        return ListenAddress(host: address.host, port: port)
    }

    /// The port in libcoap's endpoint text, `host:port PROTO` or `[v6]:port PROTO`.
    static func port(inEndpointText text: String) -> Int? {
        guard let hostAndPort = text.split(separator: " ").first,
              let colon = hostAndPort.lastIndex(of: ":") else { return nil }
        return Int(hostAndPort[hostAndPort.index(after: colon)...])
    }
}
