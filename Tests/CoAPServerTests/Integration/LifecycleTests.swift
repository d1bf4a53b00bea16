import CoAPServer
import Logging
import PerchCore
import PerchTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

extension CoAPIntegration {
    /// Binding, failing to bind and stopping.
    @Suite
    struct LifecycleTests {
        private static func makeServer(listen: [ListenAddress], upstream: RecordingUpstream = RecordingUpstream()) -> CoAPServer {
            CoAPServer(
                configuration: CoAPServer.Configuration(listen: listen),
                upstream: upstream,
                logger: InMemoryLogStore().makeLogger(label: "coap")
            )
        }

        @Test func listensOnIPv4AndIPv6AndStopsOnGracefulShutdown() async throws {
            let server = Self.makeServer(listen: [ListenAddress(host: "127.0.0.1", port: 0), ListenAddress(host: "::1", port: 0)])
            try await testGracefulShutdown { trigger in
                async let run: Void = server.run()
                let addresses = try await withTimeout(.seconds(10), waitingFor: "the listeners") {
                    try await server.listeningAddresses()
                }
                #expect(addresses.map(\.host) == ["127.0.0.1", "::1"])
                #expect(addresses.allSatisfy { $0.port != 0 })
                let output = try await CoAPClient(host: "[::1]", port: addresses[1].port).run("get", path: ".well-known/core")
                #expect(output.coapResponses.contains { $0.contains("c:2.05") }, "\(output)")
                trigger.triggerGracefulShutdown()
                try await run
            }
        }

        @Test func aPortInUseFailsTheStart() async throws {
            let first = Self.makeServer(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
            try await testGracefulShutdown { trigger in
                async let run: Void = first.run()
                let port = try #require(try await first.listeningAddresses().first?.port)
                let second = Self.makeServer(listen: [ListenAddress(host: "127.0.0.1", port: port)])
                // libcoap binds with SO_REUSEADDR, which alone would share the port silently.
                // Bounded: were the port shared, run() would serve until cancelled and return.
                let error = await thrownError(CoAPServerError.self) {
                    try await withTimeout(.seconds(10), waitingFor: "the second server to fail") { try await second.run() }
                }
                if case .bindFailed? = error {} else {
                    Issue.record("not a bind failure: \(String(describing: error))")
                }
                await #expect(throws: CoAPServerError.self) { try await second.listeningAddresses() }
                trigger.triggerGracefulShutdown()
                try await run
            }
        }

        @Test func aHostNameIsNotAListenAddress() async throws {
            let server = Self.makeServer(listen: [ListenAddress(host: "gateway.local", port: 5683)])
            await #expect(throws: CoAPServerError.self) { try await server.run() }
        }

        @Test func stoppingWithAPublishPendingAnswersNothingAndSurvivesTheLateAnswer() async throws {
            let upstream = RecordingUpstream()
            let server = Self.makeServer(listen: [ListenAddress(host: "127.0.0.1", port: 0)], upstream: upstream)
            var child: ChildProcess?
            try await testGracefulShutdown { trigger in
                async let run: Void = server.run()
                let port = try #require(try await server.listeningAddresses().first?.port)
                child = try CoAPClient(port: port).start("put", path: "ps/late", payload: "1")
                _ = try await upstream.events.next(within: .seconds(15), waitingFor: "the enqueued message")
                #expect(await server.statistics().pendingPublishes == 1)
                trigger.triggerGracefulShutdown()
                try await run
            }
            // The context is gone; the late answer must find nothing to trigger.
            #expect(upstream.settleOldest(with: .success(())))
            let statistics = await server.statistics()
            #expect(statistics.pendingPublishes == 0)
            #expect(statistics.requests == 1)
            child?.kill()
            let text = child?.outputText ?? ""
            #expect(!text.coapResponses.contains { $0.contains("c:2.04") }, "\(text)")
        }
    }
}
