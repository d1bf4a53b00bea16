import Foundation
import Logging
import NIOCore
import PerchCore
import PerchTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite("Status reporter (SPEC §7)")
struct StatusReporterTests {
    let clock = ManualClock()
    let publisher = RecordingPublisher()
    let statuses: AsyncStream<UplinkStatus>
    let statusSink: AsyncStream<UplinkStatus>.Continuation

    let current = LockedBox(UplinkStatus(broker: "mqtt://b:1883"))

    init() {
        (statuses, statusSink) = AsyncStream<UplinkStatus>.makeStream()
    }

    /// Changes the uplink's status the way the uplink does: state first, then the event.
    func uplinkChanges(to status: UplinkStatus) {
        current.value = status
        statusSink.yield(status)
    }

    func makeReporter() -> StatusReporter<ManualClock> {
        StatusReporter(
            configuration: .init(topic: "perch/gw/status", interval: .seconds(30), gateway: "gw", version: "0.1.0"),
            publisher: publisher,
            uplinkStatus: statuses,
            currentUplinkStatus: { [current] in current.value },
            clock: clock,
            logger: Logger(label: "test")
        )
    }

    static func json(_ message: Message) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(message.payload.readableBytesView))
        return try #require(object as? [String: Any])
    }

    @Test("publishes an online document, retained at QoS 1, when the uplink connects")
    func publishesOnConnect() async throws {
        let reporter = makeReporter()
        try await testGracefulShutdown { trigger in
            async let run: Void = reporter.run()
            uplinkChanges(to: UplinkStatus(isConnected: true, broker: "mqtts://b:8883"))
            let messages = await publisher.waitForMessages(count: 1)
            let first = try #require(messages.first)
            #expect(first.topic == "perch/gw/status")
            #expect(first.retain)
            #expect(first.qos == .atLeastOnce)
            let json = try Self.json(first)
            #expect(json["state"] as? String == "online")
            #expect(json["gateway"] as? String == "gw")
            #expect(json["version"] as? String == "0.1.0")
            #expect(json["uptime_s"] as? Int == 0)
            let uplink = try #require(json["uplink"] as? [String: Any])
            #expect(uplink["connected"] as? Bool == true)
            #expect(uplink["broker"] as? String == "mqtts://b:8883")
            #expect(uplink["reconnects"] as? Int == 0)
            #expect(uplink["last_error"] is NSNull)
            trigger.triggerGracefulShutdown()
            await run
        }
    }

    @Test("a graceful stop leaves {\"state\":\"offline\"} retained")
    func leavesOfflineOnStop() async throws {
        let reporter = makeReporter()
        await testGracefulShutdown { trigger in
            async let run: Void = reporter.run()
            uplinkChanges(to: UplinkStatus(isConnected: true, broker: "mqtt://b:1883"))
            _ = await publisher.waitForMessages(count: 1)
            trigger.triggerGracefulShutdown()
            await run
        }
        let last = try #require(publisher.messages.last)
        #expect(String(buffer: last.payload) == #"{"state":"offline"}"#)
        #expect(last.retain)
        #expect(publisher.messages.count == 2)
    }

    @Test("republishes every interval while connected, never while disconnected")
    func intervalOnlyWhileConnected() async throws {
        let reporter = makeReporter()
        try await testGracefulShutdown { trigger in
            async let run: Void = reporter.run()
            uplinkChanges(to: UplinkStatus(isConnected: true, broker: "mqtt://b:1883"))
            _ = await publisher.waitForMessages(count: 1)

            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(30))
            let second = await publisher.waitForMessages(count: 2)
            #expect(try Self.json(second[1])["uptime_s"] as? Int == 30)

            uplinkChanges(to: UplinkStatus(isConnected: false, broker: "mqtt://b:1883", lastError: "connection reset"))
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(30))
            // The tick is handed over before the ticker sleeps again.
            await clock.waitForSleepers(count: 1)
            uplinkChanges(to: UplinkStatus(isConnected: true, broker: "mqtt://b:1883", reconnects: 1, lastError: "connection reset"))
            let third = await publisher.waitForMessages(count: 3)
            let uplink = try #require(try Self.json(third[2])["uplink"] as? [String: Any])
            #expect(uplink["reconnects"] as? Int == 1)
            #expect(uplink["last_error"] as? String == "connection reset")
            #expect(try Self.json(third[2])["uptime_s"] as? Int == 60)

            trigger.triggerGracefulShutdown()
            await run
        }
        // online, tick, reconnect, offline: nothing for the tick while disconnected.
        #expect(publisher.messages.count == 4)
    }

    @Test("the pins' states read at publish time go into gpio and gpio_info")
    func includesGPIO() async throws {
        let pins = LockedBox(["relay1": false])
        let reporter = StatusReporter(
            configuration: .init(topic: "perch/gw/status", interval: .seconds(30), gateway: "gw", version: "0.1.0"),
            publisher: publisher,
            uplinkStatus: statuses,
            currentUplinkStatus: { [current] in current.value },
            gpioStatus: { GPIOStatus(pins: pins.value, chip: "simulated [perch-simulated] (54 lines)", refused: 1) },
            clock: clock,
            logger: Logger(label: "test")
        )
        try await testGracefulShutdown { trigger in
            async let run: Void = reporter.run()
            pins.value = ["relay1": true]
            uplinkChanges(to: UplinkStatus(isConnected: true, broker: "mqtt://b:1883"))
            let messages = await publisher.waitForMessages(count: 1)
            let json = try Self.json(try #require(messages.first))
            #expect(json["gpio"] as? [String: String] == ["relay1": "ON"])
            let info = try #require(json["gpio_info"] as? [String: Any])
            #expect(info["chip"] as? String == "simulated [perch-simulated] (54 lines)")
            #expect(info["refused"] as? Int == 1)
            trigger.triggerGracefulShutdown()
            await run
        }
    }

    @Test("status JSON uses the SPEC's field names and keeps last_error null")
    func jsonShape() throws {
        let report = StatusReport(
            state: .online, gateway: "greenhouse-pi", version: "0.1.0", uptimeSeconds: 5120,
            uplink: UplinkStatus(isConnected: true, broker: "mqtts://broker.example.com:8883", reconnects: 2)
        )
        #expect(report.jsonText() == #"{"gateway":"greenhouse-pi","state":"online","uplink":{"broker":"mqtts://broker.example.com:8883","connected":true,"degraded":[],"last_error":null,"reconnects":2},"uptime_s":5120,"version":"0.1.0"}"#)
    }
}
