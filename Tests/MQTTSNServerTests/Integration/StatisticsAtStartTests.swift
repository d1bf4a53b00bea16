import Dispatch
import Logging
@testable import MQTTSNServer
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import ServiceLifecycleTestKit
import Synchronization
import Testing
import Uplink

/// A store whose `loadClients` holds until the test lets it go, so that a
/// status can be asked for while the records of the last run are being read.
final class GatedStore: MQTTSNClientStoring {
    let records: [MQTTSNClientRecord<MQTTSNPeer>]
    let started: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation
    private let gate = DispatchSemaphore(value: 0)

    init(records: [MQTTSNClientRecord<MQTTSNPeer>]) {
        self.records = records
        (started, signal) = AsyncStream.makeStream(of: Void.self)
    }

    /// Lets `loadClients` return.
    func release() { gate.signal() }

    func loadClients<Peer: Codable & Hashable & Sendable>(as peer: Peer.Type) throws -> [MQTTSNClientRecord<Peer>] {
        signal.yield()
        // Bounded: a test that never releases fails instead of hanging.
        _ = gate.wait(timeout: .now() + 10)
        return records.compactMap { $0 as? MQTTSNClientRecord<Peer> }
    }

    func apply<Peer: Codable & Hashable & Sendable>(storing records: [MQTTSNClientRecord<Peer>], forgetting forgotten: [String]) throws {}
}

@Suite("MQTTSNServer: the status's counters from the first document on")
struct StatisticsAtStartTests {
    static func record(_ clientID: String, port: Int) throws -> MQTTSNClientRecord<MQTTSNPeer> {
        MQTTSNClientRecord(
            clientID: clientID, peer: MQTTSNPeer(address: try SocketAddress(ipAddress: "127.0.0.1", port: port)),
            cleanSession: false, keepAliveSeconds: 600, registry: TopicRegistry(), subscriptions: [], will: nil)
    }

    @Test("statistics asked for while the records are read count the restored clients and carry kernel_drops (issue 20 item 10)")
    func restoredClientsCounted() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let store = GatedStore(records: [try Self.record("r-1", port: 40_001), try Self.record("r-2", port: 40_002)])
        let uplink = Uplink(configuration: .init(host: "127.0.0.1", port: 9), eventLoopGroup: group, logger: Logger(label: "test"))
        let server = MQTTSNServer(
            configuration: .init(listen: [.init(host: "127.0.0.1", port: 0)]), upstream: uplink, store: store,
            eventLoopGroup: group, logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            async let run: Void = server.run()
            try await withTimeout(.seconds(10), waitingFor: "the records to be read") { [store] in
                for await _ in store.started { return }
            }
            // The status reporter's first document, asked for as the uplink connects.
            let early = Task { try await server.statistics() }
            store.release()
            let statistics = try await withTimeout(.seconds(10), waitingFor: "the statistics") { try await early.value }
            #expect(statistics.gateway.clients == 2)
            #if os(Linux)
            #expect(statistics.kernelDrops == 0)
            #endif
            trigger.triggerGracefulShutdown()
            try await run
        }
        try await group.shutdownGracefully()
    }
}
