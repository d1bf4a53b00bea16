import CoAPServer
import Logging
import PerchCore
import PerchTestKit
import Testing

/// What a DTLS test gets: the server's ports and a client factory.
struct DTLSHarness {
    /// The `coaps://` port.
    let securePort: Int
    /// The `coap://` port, `nil` when plain CoAP is off.
    let plainPort: Int?
    let upstream: RecordingUpstream
    let server: CoAPServer
    /// What the server logged.
    let logs: InMemoryLogStore

    /// A `coap-client-openssl` speaking DTLS with `identity` and `key`.
    func client(identity: String, key: String) -> CoAPClient {
        CoAPTestClient(securePort: securePort, identity: identity, key: key)
    }
}

/// The keys every DTLS test server knows.
let testKeys: [String: [UInt8]] = [
    "node-7": Array("secret-of-node-7".utf8),
    "node-8": Array("secret-of-node-8".utf8),
]

/// Runs a `CoAPServer` with `coaps://` on 127.0.0.1 (ports the system picks),
/// plain CoAP too unless `plain` is false, for the length of `body`.
func withDTLSServer(
    plain: Bool = true,
    mountpoint: String = "",
    _ body: @Sendable (_ harness: DTLSHarness) async throws -> Void
) async throws {
    let upstream = RecordingUpstream()
    let logs = InMemoryLogStore()
    let loopback = ListenAddress(host: "127.0.0.1", port: 0)
    let configuration = CoAPServer.Configuration(
        listen: plain ? [loopback] : [],
        mountpoint: try Mountpoint(mountpoint),
        dtls: CoAPServer.DTLS(listen: [loopback], keys: testKeys)
    )
    let server = CoAPServer(configuration: configuration, upstream: upstream, logger: logs.makeLogger(label: "coap"))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        defer { upstream.finish() }
        let secure = try await withTimeout(.seconds(10), waitingFor: "the CoAPS listener") {
            try await server.secureListeningAddresses()
        }
        let plainAddresses = try await server.listeningAddresses()
        #expect(plainAddresses.count == (plain ? 1 : 0))
        let securePort = try #require(secure.first?.port)
        #expect(securePort != 0)
        let harness = DTLSHarness(securePort: securePort, plainPort: plainAddresses.first?.port, upstream: upstream, server: server, logs: logs)
        try await body(harness)
        group.cancelAll()
        try await group.waitForAll()
    }
}
