import Logging
import MQTTCodec
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Storage
import Testing

@testable import Spool

/// The spool's runtime with the real SQLite disk tier and a stand-in uplink:
/// group commits on its thread, acknowledgements, restarts on the same file.
@Suite("Spool runtime on SQLite")
struct SpoolRuntimeTests {
    static let logger = Logger(label: "spool-test")

    static func openStore(_ directory: TemporaryDirectory) throws -> (SQLiteSpoolStore, SpoolInventory) {
        let store = try SQLiteSpoolStore(stateDirectory: directory.path, logger: logger)
        return (store, try store.inventory())
    }

    @Test("link down: messages are acknowledged once on disk; a new spool on the file drains them first, in order")
    func outageAndRestart() async throws {
        let directory = try TemporaryDirectory(prefix: "perch-spool-runtime")
        defer { directory.remove() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let policy = SpoolPolicy(commitInterval: .milliseconds(20))

        do {
            let transport = TestTransport(eventLoop: group.next())
            let (store, inventory) = try Self.openStore(directory)
            let spool = Spool(policy: policy, store: store, inventory: inventory, transport: transport, logger: Self.logger)
            let acknowledgements = (0..<50).map { index in
                spool.enqueue(Message(topic: "t/\(index % 5)", text: "\(index)", qos: .atLeastOnce))
            }
            // Acknowledged by the group commit, with the link down all along.
            try await EventLoopFuture.andAllSucceed(acknowledgements, on: group.next()).get()
            let status = try #require(await spool.status())
            #expect(status.messages == 50)
            // "kill -9": this spool is simply abandoned; its thread pool stops with the test.
        }

        let transport = TestTransport(eventLoop: group.next())
        let (store, inventory) = try Self.openStore(directory)
        #expect(inventory.segments.reduce(0) { $0 + $1.count } == 50)
        let spool = Spool(policy: policy, store: store, inventory: inventory, transport: transport, logger: Self.logger)
        let late = spool.enqueue(Message(topic: "t/0", text: "late", qos: .atLeastOnce))
        try await transport.setAutoDeliver()
        try await transport.link(up: true)
        var delivered: [String] = []
        for await message in transport.deliveries {
            delivered.append(String(buffer: message.payload))
            if delivered.count == 51 { break }
        }
        #expect(delivered == (0..<50).map(String.init) + ["late"])
        try await late.get()
        try await group.shutdownGracefully()
    }

    @Test("a graceful stop writes what the uplink could not deliver, whatever the commit interval")
    func stopWritesEverything() async throws {
        let directory = try TemporaryDirectory(prefix: "perch-spool-runtime")
        defer { directory.remove() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let transport = TestTransport(eventLoop: group.next())
        let (store, inventory) = try Self.openStore(directory)
        // Nothing would be written for a minute, but for the stop.
        let spool = Spool(
            policy: SpoolPolicy(commitInterval: .seconds(60)), store: store, inventory: inventory, transport: transport,
            logger: Self.logger)
        try await transport.link(up: true)
        for index in 0..<10 { spool.send(Message(topic: "t", text: "\(index)", qos: .atLeastOnce)) }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await spool.run() }
                // The uplink stops first and hands back what it had.
                try await transport.interruptAll()
                trigger.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        let (_, reopened) = try Self.openStore(directory)
        #expect(reopened.segments.reduce(0) { $0 + $1.count } == 10)
        try await group.shutdownGracefully()
    }
}
