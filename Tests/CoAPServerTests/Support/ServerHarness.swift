import CoAPServer
import Logging
import PerchCore
import PerchTestKit
import Testing

/// Runs a `CoAPServer` on 127.0.0.1 (a port the system picks) for the length
/// of `body`, with a recording upstream, then cancels it and waits for it to stop.
func withCoAPServer(
    mountpoint: String = "",
    aliases: [String: String] = [:],
    _ body: @Sendable (_ client: CoAPClient, _ upstream: RecordingUpstream, _ server: CoAPServer) async throws -> Void
) async throws {
    let upstream = RecordingUpstream()
    let logs = InMemoryLogStore()
    let configuration = CoAPServer.Configuration(
        listen: [ListenAddress(host: "127.0.0.1", port: 0)],
        mountpoint: try Mountpoint(mountpoint),
        aliases: aliases,
        retryAfterSeconds: 7
    )
    let server = CoAPServer(configuration: configuration, upstream: upstream, logger: logs.makeLogger(label: "coap"))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        defer { upstream.finish() }
        let addresses = try await withTimeout(.seconds(10), waitingFor: "the CoAP listener") {
            try await server.listeningAddresses()
        }
        let port = try #require(addresses.first?.port)
        #expect(port != 0)
        try await body(CoAPClient(port: port), upstream, server)
        group.cancelAll()
        try await group.waitForAll()
    }
}
