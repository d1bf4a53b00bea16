import Foundation
@testable import MQTTSNServer
import NIOCore
import Testing

@Suite("MQTTSNPeer: stored as text")
struct MQTTSNPeerTests {
    @Test("IPv4, IPv6 and a forwarded node survive a JSON round trip", arguments: [
        ("127.0.0.1", 5000, nil), ("::1", 1884, nil), ("192.168.1.7", 1, [0x0A, 0x0B] as [UInt8]?),
    ])
    func roundTrip(host: String, port: Int, node: [UInt8]?) throws {
        let peer = MQTTSNPeer(address: try SocketAddress(ipAddress: host, port: port), wirelessNodeID: node)
        let data = try JSONEncoder().encode(peer)
        #expect(try JSONDecoder().decode(MQTTSNPeer.self, from: data) == peer)
    }

    @Test("the text form is host:port, [v6]:port and the node in hexadecimal")
    func textForm() throws {
        let peer = MQTTSNPeer(address: try SocketAddress(ipAddress: "::1", port: 1884), wirelessNodeID: [0xAB, 0x01])
        let json = String(decoding: try JSONEncoder().encode(peer), as: UTF8.self)
        #expect(json.contains(#""address":"[::1]:1884""#))
        #expect(json.contains(#""node":"ab01""#))
        #expect(peer.description == "[::1]:1884 via node ab01")
    }

    @Test("a damaged record is a decoding error, not a crash", arguments: [
        #"{"address":"not an address"}"#, #"{"address":"127.0.0.1:99999"}"#, #"{"address":"[::1:5"}"#,
        #"{"address":"127.0.0.1:5","node":"zz"}"#, #"{"address":"127.0.0.1:5","node":"abc"}"#, #"{}"#,
    ])
    func damaged(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(MQTTSNPeer.self, from: Data(json.utf8))
        }
    }
}
