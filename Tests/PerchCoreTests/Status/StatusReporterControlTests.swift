import Foundation
import Logging
import PerchCore
import PerchTestKit
import ServiceLifecycleTestKit
import Testing

@Suite("Status reporter on reload: a new interval, a document out of turn")
struct StatusReporterControlTests {
    let clock = ManualClock()
    let publisher = RecordingPublisher()
    let control = StatusReporterControl()
    let reload = LockedBox<ReloadStatus?>(nil)
    let statuses: AsyncStream<UplinkStatus>
    let statusSink: AsyncStream<UplinkStatus>.Continuation
    let current = LockedBox(UplinkStatus(isConnected: true, broker: "mqtt://b:1883"))

    init() {
        (statuses, statusSink) = AsyncStream<UplinkStatus>.makeStream()
    }

    func makeReporter(interval: Duration) -> StatusReporter<ManualClock> {
        StatusReporter(
            configuration: .init(topic: "perch/gw/status", interval: interval, gateway: "gw", version: "0.1.0"),
            publisher: publisher,
            uplinkStatus: statuses,
            currentUplinkStatus: { [current] in current.value },
            reloadStatus: { [reload] in reload.value },
            control: control,
            clock: clock,
            logger: Logger(label: "test")
        )
    }

    @Test("a shorter interval replaces the running one at once: the old one is not waited out")
    func shorterIntervalAppliesAtOnce() async throws {
        let reporter = makeReporter(interval: .seconds(3_600))
        try await testGracefulShutdown { trigger throws in
            async let run: Void = reporter.run()
            statusSink.yield(current.value)
            _ = await publisher.waitForMessages(count: 1)
            await clock.waitForSleepers(count: 1)

            control.setInterval(.seconds(5))
            // The new timer's sleeper is due in 5 s; the hour-long one is gone.
            await clock.waitForSleepers(count: 1, dueBy: clock.now.advanced(by: .seconds(5)))
            #expect(clock.sleeperCount == 1)
            clock.advance(by: .seconds(5))
            let second = await publisher.waitForMessages(count: 2)
            #expect(try json(second[1])["uptime_s"] as? Int == 5)

            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(5))
            _ = await publisher.waitForMessages(count: 3)
            trigger.triggerGracefulShutdown()
            await run
        }
    }

    @Test("publishNow sends a document with the reload section; without a reload there is none")
    func publishNowCarriesReload() async throws {
        let reporter = makeReporter(interval: .seconds(3_600))
        try await testGracefulShutdown { trigger throws in
            async let run: Void = reporter.run()
            statusSink.yield(current.value)
            let first = await publisher.waitForMessages(count: 1)
            #expect(try json(first[0])["reload"] == nil)

            reload.value = ReloadStatus(reloads: 1, lastError: "perch.yaml:3:9: log.level: not a level", restartNeeded: ["uplink.url"])
            control.publishNow()
            let second = await publisher.waitForMessages(count: 2)
            let section = try #require(try json(second[1])["reload"] as? [String: Any])
            #expect(section["reloads"] as? Int == 1)
            #expect(section["last_error"] as? String == "perch.yaml:3:9: log.level: not a level")
            #expect(section["restart_needed"] as? [String] == ["uplink.url"])

            reload.value = ReloadStatus(reloads: 2)
            control.publishNow()
            let third = await publisher.waitForMessages(count: 3)
            let cleared = try #require(try json(third[2])["reload"] as? [String: Any])
            #expect(cleared["last_error"] is NSNull)
            #expect(cleared["restart_needed"] as? [String] == [])
            trigger.triggerGracefulShutdown()
            await run
        }
    }

    private func json(_ message: Message) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(message.payload.readableBytesView))
        return try #require(object as? [String: Any])
    }
}
