internal import CLibCoAP
import Dispatch
import Glibc
import PerchCore

extension CoAPEngine {
    /// Sets `configuration.receiveBufferSize` on the socket of the endpoint just
    /// bound to `address` with `port`, and records what the kernel granted.
    ///
    /// libcoap 4.3.1 does not hand out an endpoint's socket (its only fd
    /// accessor, `coap_context_get_coap_fd`, returns the epoll fd), yet a burst
    /// of NON requests overflows the kernel's default receive buffer. So the
    /// socket is found the only way left: among the process's descriptors, the
    /// UDP socket whose `getsockname` is this endpoint's address AND port. No
    /// other socket (MQTT-SN's, a client's) can match, so none is touched.
    /// Runs on `queue`, right after `coap_new_endpoint`, before any datagram.
    func applyReceiveBuffer(to socketAddress: coap_address_t, port: Int, listening address: ListenAddress) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let asked = configuration.receiveBufferSize else { return }
        guard let port = UInt16(exactly: port), let size = Int32(exactly: asked) else {
            logger.warning("coap.receive_buffer not applied: out of range", metadata: ["address": "\(address)"])
            return
        }
        var bound = socketAddress
        var found = [Int32](repeating: -1, count: 4)
        let count = found.withUnsafeMutableBufferPointer { buffer in
            perch_find_udp_sockets(&bound, port, buffer.baseAddress, Int32(buffer.count))
        }
        guard count > 0 else {
            let reason = count < 0 ? String(cString: strerror(-count)) : "no UDP socket has that address"
            logger.warning("CoAP socket not found: coap.receive_buffer not applied", metadata: [
                "address": "\(address.host):\(port)", "reason": "\(reason)",
            ])
            return
        }
        // libcoap binds with SO_REUSEADDR, so another socket of this process
        // could share the address; every match gets the buffer.
        for fd in found.prefix(Int(count)) where fd >= 0 {
            var forced: Int32 = 0
            let granted = perch_udp_set_receive_buffer(fd, size, &forced)
            guard granted >= 0 else {
                logger.warning("coap.receive_buffer not applied", metadata: [
                    "address": "\(address.host):\(port)", "reason": "\(String(cString: strerror(-granted)))",
                ])
                continue
            }
            let current = statistics.receiveBufferSize ?? .max
            statistics.receiveBufferSize = min(current, Int(granted))
            logger.info("CoAP receive buffer", metadata: [
                "address": "\(address.host):\(port)", "receive_buffer": "\(granted)", "forced": "\(forced != 0)",
            ])
            // Linux doubles the size asked for (for its bookkeeping) after
            // clamping it to net.core.rmem_max: half of what it reports is the payload.
            if Int(granted) / 2 < asked {
                logger.notice("the kernel granted a smaller UDP receive buffer than coap.receive_buffer; raise net.core.rmem_max", metadata: [
                    "asked": "\(asked)", "granted": "\(Int(granted) / 2)",
                ])
            }
        }
    }
}
