import NIOCore

/// Stored as text, so that a record written by one run is read by the next and
/// stays legible in the database: `{"address": "[::1]:5000", "node": "0a0b"}`.
extension MQTTSNPeer: Codable {
    private enum CodingKeys: String, CodingKey {
        case address
        case node
    }

    /// Decodes a peer; a malformed address is a `DecodingError`, never a crash.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .address)
        guard let address = Self.parseAddress(text) else {
            throw DecodingError.dataCorruptedError(forKey: .address, in: container, debugDescription: "not an IP address and port: \(text)")
        }
        var node: [UInt8]?
        if let hex = try container.decodeIfPresent(String.self, forKey: .node) {
            guard let bytes = Self.parseHex(hex) else {
                throw DecodingError.dataCorruptedError(forKey: .node, in: container, debugDescription: "not hexadecimal: \(hex)")
            }
            node = bytes
        }
        self.init(address: address, wirelessNodeID: node)
    }

    /// Encodes the address as text and the node id as hexadecimal.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.text(of: address), forKey: .address)
        try container.encodeIfPresent(wirelessNodeID.map(Self.hex), forKey: .node)
    }

    /// Parses `host:port` or `[v6]:port` with a numeric host.
    static func parseAddress(_ text: String) -> SocketAddress? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65_535).contains(port) else { return nil }
        return try? SocketAddress(ipAddress: String(host), port: port)
    }

    static func parseHex(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
