import CoAPServer
import Logging
import PerchCore
import PerchTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

extension CoAPIntegration {
    /// Binding with `coaps://` listeners, and with none at all.
    @Suite
    struct DTLSLifecycleTests {
        private static func makeServer(listen: [ListenAddress], dtls: CoAPServer.DTLS?) -> CoAPServer {
            CoAPServer(
                configuration: CoAPServer.Configuration(listen: listen, dtls: dtls),
                upstream: RecordingUpstream(),
                logger: InMemoryLogStore().makeLogger(label: "coap")
            )
        }

        @Test func noListenAddressServesNothingUntilShutdown() async throws {
            let server = Self.makeServer(listen: [], dtls: nil)
            try await testGracefulShutdown { trigger in
                async let run: Void = server.run()
                let plain = try await withTimeout(.seconds(10), waitingFor: "the (empty) listeners") {
                    try await server.listeningAddresses()
                }
                #expect(plain.isEmpty)
                #expect(try await server.secureListeningAddresses().isEmpty)
                trigger.triggerGracefulShutdown()
                try await run
            }
        }

        @Test func aSecurePortInUseFailsTheStart() async throws {
            let loopback = ListenAddress(host: "127.0.0.1", port: 0)
            let first = Self.makeServer(listen: [], dtls: CoAPServer.DTLS(listen: [loopback], keys: testKeys))
            try await testGracefulShutdown { trigger in
                async let run: Void = first.run()
                let port = try #require(try await first.secureListeningAddresses().first?.port)
                let taken = ListenAddress(host: "127.0.0.1", port: port)
                let second = Self.makeServer(listen: [loopback], dtls: CoAPServer.DTLS(listen: [taken], keys: testKeys))
                let error = await thrownError(CoAPServerError.self) {
                    try await withTimeout(.seconds(10), waitingFor: "the second server to fail") { try await second.run() }
                }
                if case .bindFailed? = error {} else {
                    Issue.record("not a bind failure: \(String(describing: error))")
                }
                // Nothing half-started: the plain listener is not reported either.
                await #expect(throws: CoAPServerError.self) { try await second.listeningAddresses() }
                await #expect(throws: CoAPServerError.self) { try await second.secureListeningAddresses() }
                trigger.triggerGracefulShutdown()
                try await run
            }
        }
    }
}
