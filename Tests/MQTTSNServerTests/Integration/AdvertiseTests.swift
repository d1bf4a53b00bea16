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

@Suite("MQTTSNServer: ADVERTISE (§5.4.1, §6.1)")
struct AdvertiseTests {
    @Test("the first ADVERTISE goes to the advertise address at start, the next after the interval")
    func advertises() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // A listener standing in for the broadcast address: ADVERTISE arrives there.
        let probe = try await MQTTSNTestClient.make(talkingTo: try SocketAddress(ipAddress: "127.0.0.1", port: 9), group: group)
        let probePort = try #require(probe.channel.localAddress?.port)
        let uplink = Uplink(configuration: .init(host: "127.0.0.1", port: 9), eventLoopGroup: group, logger: Logger(label: "test"))
        let server = MQTTSNServer(
            configuration: .init(
                listen: [.init(host: "127.0.0.1", port: 0)],
                advertiseAddress: .init(host: "127.0.0.1", port: probePort),
                gateway: MQTTSNGatewayConfiguration(gatewayID: 42, advertiseInterval: .seconds(1))
            ),
            upstream: uplink, store: nil, eventLoopGroup: group, logger: Logger(label: "test")
        )
        try await testGracefulShutdown { trigger in
            async let run: Void = server.run()
            _ = try await server.listeningAddresses()
            let advertise = MQTTSNPacket.advertise(MQTTSNAdvertise(gatewayID: 42, durationSeconds: 1))
            #expect(try await probe.next(timeout: .seconds(5)) == advertise)
            #expect(try await probe.next(timeout: .seconds(5)) == advertise)
            trigger.triggerGracefulShutdown()
            try await run
        }
        await probe.close()
        try await group.shutdownGracefully()
    }
}
