import Foundation
import Logging
@testable import PerchDaemon
import ServiceLifecycle
import Testing

@Suite("READY=1 waits for the listeners")
struct SystemdReadinessTests {
    static func socketPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("perch-ready-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    }

    @Test("a part that fails to start (a bind error) means no READY=1 at all")
    func failedPartSendsNoReady() async throws {
        let path = Self.socketPath()
        let listener = try NotifySocketListener(address: path)
        struct BindFailed: Error {}
        let lifecycle = SystemdLifecycle(
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": path]),
            readiness: [{ throw BindFailed() }],
            logger: Logger(label: "test")
        )
        // It throws the part's error at once: READY=1 would have been sent before that, synchronously.
        await #expect(throws: BindFailed.self) { try await lifecycle.run() }
        #expect(listener.receiveNow() == nil)
    }

    @Test("READY=1 follows every readiness check, in order")
    func readyAfterChecks() async throws {
        let path = Self.socketPath()
        let listener = try NotifySocketListener(address: path)
        let (order, sink) = AsyncStream<String>.makeStream()
        let lifecycle = SystemdLifecycle(
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": path]),
            readiness: [{ sink.yield("mqttsn bound") }, { sink.yield("coap bound") }],
            logger: Logger(label: "test")
        )
        let group = ServiceGroup(configuration: .init(services: [.init(service: lifecycle)], logger: Logger(label: "test")))
        async let running: Void = group.run()
        var seen: [String] = []
        for await step in order {
            seen.append(step)
            if seen.count == 2 { break }
        }
        #expect(seen == ["mqttsn bound", "coap bound"])
        #expect(listener.receive() == "READY=1\nSTATUS=running")
        await group.triggerGracefulShutdown()
        try await running
        #expect(listener.receive() == "STOPPING=1")
    }
}
