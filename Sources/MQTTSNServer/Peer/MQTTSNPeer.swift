import NIOCore

/// Who an MQTT-SN client is, as far as the network can tell: the UDP address its
/// datagrams come from and, when it talks through a forwarder (MQTT-SN v1.2 §5.5),
/// the forwarder's address plus the Wireless Node Id of the client behind it.
public struct MQTTSNPeer: Sendable, Hashable, CustomStringConvertible {
    /// The sender's (or forwarder's) UDP address.
    public var address: SocketAddress
    /// The Wireless Node Id the forwarder gave; `nil` for a client heard directly.
    public var wirelessNodeID: [UInt8]?

    /// Creates a peer.
    public init(address: SocketAddress, wirelessNodeID: [UInt8]? = nil) {
        self.address = address
        self.wirelessNodeID = wirelessNodeID
    }

    /// `127.0.0.1:5000`, `[::1]:5000`, and ` via node 0a0b` after it for a forwarded client.
    public var description: String {
        let text = Self.text(of: address)
        guard let node = wirelessNodeID else { return text }
        return "\(text) via node \(Self.hex(node))"
    }

    /// The address as `host:port` or `[v6]:port`; the form stored and parsed back.
    static func text(of address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port ?? 0
        switch address.protocol {
        case .inet6: return "[\(host)]:\(port)"
        default: return "\(host):\(port)"
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
