import Foundation
import Logging
import NIOCore
import PerchCore
import PerchTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite("Status JSON: the mqttsn section (SPEC §7)")
struct MQTTSNStatusTests {
    static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test("SPEC §7's field names: clients, asleep, rx, tx, invalid; rate_limited; kernel_drops when known")
    func fieldNames() throws {
        var counters = MQTTSNGatewayStatistics(clients: 14, asleep: 3, received: 91_234, sent: 812, invalid: 4)
        counters.rateLimited = 9
        let status = MQTTSNStatus(counters, kernelDrops: 7)
        let report = StatusReport(state: .online, gateway: "gw", version: "0.1.0", uptimeSeconds: 1, mqttsn: status)
        let section = try #require(try Self.json(report.jsonText())["mqttsn"] as? [String: Any])
        #expect(section["clients"] as? Int == 14)
        #expect(section["asleep"] as? Int == 3)
        #expect(section["rx"] as? Int == 91_234)
        #expect(section["tx"] as? Int == 812)
        #expect(section["invalid"] as? Int == 4)
        #expect(section["rate_limited"] as? Int == 9)
        #expect(section["kernel_drops"] as? Int == 7)
        #expect(section.count == 7)
    }

    @Test("kernel_drops is left out where the kernel does not say")
    func noKernelDrops() throws {
        let status = MQTTSNStatus(MQTTSNGatewayStatistics(clients: 1, asleep: 0, received: 2, sent: 3, invalid: 0))
        let text = StatusReport(state: .online, gateway: "gw", version: "0.1.0", uptimeSeconds: 1, mqttsn: status).jsonText()
        let section = try #require(try Self.json(text)["mqttsn"] as? [String: Any])
        #expect(section["kernel_drops"] == nil)
        #expect(section["rx"] as? Int == 2)
        #expect(section["tx"] as? Int == 3)
    }

    @Test("without MQTT-SN the section is absent, not zero")
    func absentWhenOff() throws {
        let text = StatusReport(state: .online, gateway: "gw", version: "0.1.0", uptimeSeconds: 1).jsonText()
        #expect(try Self.json(text)["mqttsn"] == nil)
    }

    @Test("the reporter asks for the section each time it publishes")
    func reporterIncludesSection() async throws {
        let publisher = RecordingPublisher()
        let (statuses, sink) = AsyncStream<UplinkStatus>.makeStream()
        let connected = UplinkStatus(isConnected: true, broker: "mqtt://b:1883")
        let reporter = StatusReporter(
            configuration: .init(topic: "perch/gw/status", interval: .seconds(30), gateway: "gw", version: "0.1.0"),
            publisher: publisher,
            uplinkStatus: statuses,
            currentUplinkStatus: { connected },
            mqttsnStatus: { MQTTSNStatus(clients: 2, asleep: 1, received: 5, sent: 4, invalid: 1) },
            clock: ManualClock(),
            logger: Logger(label: "test")
        )
        try await testGracefulShutdown { trigger in
            async let run: Void = reporter.run()
            sink.yield(connected)
            let messages = await publisher.waitForMessages(count: 1)
            let first = try #require(messages.first)
            let json = try Self.json(String(buffer: first.payload))
            let section = try #require(json["mqttsn"] as? [String: Any])
            #expect(section["clients"] as? Int == 2)
            #expect(section["asleep"] as? Int == 1)
            trigger.triggerGracefulShutdown()
            await run
        }
    }
}
