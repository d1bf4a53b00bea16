import Logging
import MQTTSNCodec
import MQTTSNServer
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
import Uplink

@Suite("MQTTSNServer: listeners")
struct ListenerTests {
    /// A server whose uplink never runs: binding needs no broker.
    static func makeServer(listen: [ListenAddress], group: any EventLoopGroup) -> MQTTSNServer {
        let uplink = Uplink(configuration: .init(host: "127.0.0.1", port: 9), eventLoopGroup: group, logger: Logger(label: "test"))
        return MQTTSNServer(
            configuration: .init(listen: listen), upstream: uplink, store: nil, eventLoopGroup: group, logger: Logger(label: "test")
        )
    }

    @Test("a port in use is an error naming the address, and listeningAddresses() throws it too")
    func portInUse() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let taken = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(taken.localAddress?.port)
        let server = Self.makeServer(listen: [.init(host: "127.0.0.1", port: port)], group: group)
        let error = await thrownError(MQTTSNServerError.self) { try await server.run() }
        guard case let .bindFailed(address, reason) = error else {
            Issue.record("expected bindFailed, got \(String(describing: error))")
            return
        }
        #expect(address == "127.0.0.1:\(port)")
        #expect(reason.contains("in use"), "\(reason)")
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        await #expect(throws: MQTTSNServerError.self) { try await server.listeningAddresses() }
        try await taken.close()
        try await group.shutdownGracefully()
    }

    @Test("an address that is neither IP nor a known host is an error naming it")
    func badAddress() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = Self.makeServer(listen: [.init(host: "no-such-host.invalid", port: 1884)], group: group)
        let error = await thrownError(MQTTSNServerError.self) { try await server.run() }
        #expect(error?.description.contains("no-such-host.invalid:1884") == true)
        try await group.shutdownGracefully()
    }

    @Test("IPv4 and IPv6 at once, on the same port number; graceful shutdown closes both")
    func bothFamiliesSamePort() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // A port free in both families (the v4 one the kernel picks may be taken
        // in v6 by another test's socket): probe both, a bounded number of times.
        var freePort: Int?
        for _ in 0..<20 where freePort == nil {
            let probe = try await DatagramBootstrap(group: group).bind(host: "0.0.0.0", port: 0).get()
            let candidate = try #require(probe.localAddress?.port)
            // V6ONLY, as the server sets it: otherwise "::" also claims the v4 port just bound.
            let v6Only = ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only)
            if let probe6 = try? await DatagramBootstrap(group: group).channelOption(v6Only, value: 1)
                .bind(host: "::", port: candidate).get()
            {
                try await probe6.close()
                freePort = candidate
            }
            try await probe.close()
        }
        let port = try #require(freePort)
        let server = Self.makeServer(listen: [.init(host: "0.0.0.0", port: port), .init(host: "::", port: port)], group: group)
        try await testGracefulShutdown { trigger in
            async let run: Void = server.run()
            let addresses = try await server.listeningAddresses()
            #expect(addresses.count == 2)
            #expect(addresses.map(\.port) == [port, port])
            #expect(addresses.map(\.protocol) == [.inet, .inet6])
            trigger.triggerGracefulShutdown()
            try await run
        }
        // Closed: the port can be bound again.
        let again = try await DatagramBootstrap(group: group).bind(host: "0.0.0.0", port: port).get()
        try await again.close()
        try await group.shutdownGracefully()
    }

    @Test("a malformed datagram is counted and answered by nothing; the status reads the counters")
    func malformedCounted() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = Self.makeServer(listen: [.init(host: "127.0.0.1", port: 0)], group: group)
        try await testGracefulShutdown { trigger in
            async let run: Void = server.run()
            let address = try #require(try await server.listeningAddresses().first)
            let client = try await MQTTSNTestClient.make(talkingTo: address, group: group)
            // Length 5, but 3 bytes: MQTT-SN v1.2 §5.2.1.
            try await client.sendRaw(ByteBuffer(bytes: [0x05, 0x01, 0x00]))
            try await client.sendRaw(ByteBuffer(bytes: [0x02]))
            // SEARCHGW is answered (§6.1). Datagrams from one socket arrive in
            // order and are handled in order: when GWINFO is back, the malformed
            // ones were handled, and GWINFO being the first reply shows that
            // nothing answered them.
            let reply = try await client.exchange(.searchGateway(radius: 0))
            #expect(reply == .gatewayInfo(MQTTSNGatewayInfo(gatewayID: 1)))
            #expect(try await server.statistics().gateway.invalid == 2)
            let statistics = try await server.statistics()
            #if os(Linux)
            #expect(statistics.kernelDrops == 0)
            #expect((statistics.receiveBufferSize ?? 0) > 0)
            #endif
            await client.close()
            trigger.triggerGracefulShutdown()
            try await run
        }
        try await group.shutdownGracefully()
    }
}
