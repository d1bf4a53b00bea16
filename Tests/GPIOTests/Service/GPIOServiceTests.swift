import GPIO
import Logging
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import ServiceLifecycleTestKit
import Testing

/// The runtime against the simulated chip: the controller's actions carried
/// out on a real event loop, levels on the chip, messages upstream.
@Suite struct GPIOServiceTests {
    static let relay = GPIOPin(name: "relay1", line: .name("GPIO17"), direction: .output, activeLow: true, initial: .restore, onExit: .off)
    static let door = GPIOPin(name: "door", line: .offset(27), direction: .input, activeLow: true, bias: .pullUp, debounce: .milliseconds(10))

    struct Fixture {
        let service: GPIOService
        let chip: SimulatedChip
        let upstream = RecordingGPIOUpstream()
        let directory: TemporaryDirectory

        init(pins: [GPIOPin] = [relay, door], directory: TemporaryDirectory? = nil, homeAssistant: Bool = false) throws {
            let directory = try directory ?? TemporaryDirectory(prefix: "gpio-service")
            let chip = try SimulatedChip(controlPath: nil, logger: InMemoryLogStore().makeLogger(label: "chip"))
            self.chip = chip
            self.directory = directory
            service = GPIOService(
                configuration: .init(
                    chip: "simulated",
                    pins: pins,
                    topicPrefix: "perch/gw/gpio",
                    stateFilePath: directory.path + "/gpio-state.json",
                    homeAssistant: homeAssistant
                        ? HomeAssistantDiscovery(prefix: "ha", gateway: "gw", statusTopic: "perch/gw/status", gpioTopicPrefix: "perch/gw/gpio", version: "0")
                        : nil
                ),
                openChip: { chip },
                upstream: upstream,
                eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
                logger: InMemoryLogStore().makeLogger(label: "gpio")
            )
        }

        func command(_ pin: String, _ payload: String) {
            service.deliver(Message(topic: "perch/gw/gpio/\(pin)/set", text: payload))
        }
    }

    @Test func aCommandDrivesTheLineAndPublishesTheReadBackState() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await testGracefulShutdown { trigger in
            async let run: Void = fixture.service.run()
            #expect(try await fixture.upstream.next(on: "perch/gw/gpio/relay1/state") == "OFF")
            // Active low: OFF is electrically high.
            #expect(fixture.chip.level(offset: 17) == true)
            fixture.command("relay1", "ON")
            #expect(try await fixture.upstream.next(on: "perch/gw/gpio/relay1/state") == "ON")
            #expect(fixture.chip.level(offset: 17) == false)
            #expect(fixture.service.status.pins["relay1"] == true)
            #expect(fixture.upstream.filters == ["perch/gw/gpio/+/set"])
            trigger.triggerGracefulShutdown()
            try await run
            // on_exit: off.
            #expect(fixture.chip.level(offset: 17) == true)
        }
        let state = try #require(fixture.upstream.messages.last { $0.topic == "perch/gw/gpio/relay1/state" })
        #expect(state.retain && state.qos == .atLeastOnce)
    }

    @Test func anInputEdgePublishesAfterTheDebounce() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await testGracefulShutdown { trigger in
            async let run: Void = fixture.service.run()
            // Pull-up, active low: at rest OFF.
            #expect(try await fixture.upstream.next(on: "perch/gw/gpio/door/state") == "OFF")
            fixture.chip.drive(offset: 27, high: false)
            #expect(try await fixture.upstream.next(on: "perch/gw/gpio/door/state") == "ON")
            trigger.triggerGracefulShutdown()
            try await run
        }
    }

    @Test func restoreBringsBackTheLastCommandedStateInTheRequest() async throws {
        let directory = try TemporaryDirectory(prefix: "gpio-service")
        defer { directory.remove() }
        let first = try Fixture(pins: [Self.relay], directory: directory)
        try await testGracefulShutdown { trigger in
            async let run: Void = first.service.run()
            _ = try await first.upstream.next(on: "perch/gw/gpio/relay1/state")
            first.command("relay1", "ON")
            #expect(try await first.upstream.next(on: "perch/gw/gpio/relay1/state") == "ON")
            trigger.triggerGracefulShutdown()
            try await run
        }
        let second = try Fixture(pins: [Self.relay], directory: directory)
        try await testGracefulShutdown { trigger in
            async let run: Void = second.service.run()
            #expect(try await second.upstream.next(on: "perch/gw/gpio/relay1/state") == "ON")
            #expect(second.chip.level(offset: 17) == false)
            trigger.triggerGracefulShutdown()
            try await run
        }
    }

    @Test func aChipThatCannotBeOpenedIsReportedAndTheServiceWaitsForShutdown() async throws {
        let upstream = RecordingGPIOUpstream()
        let service = GPIOService(
            configuration: .init(chip: "gpiochip9", pins: [Self.relay], topicPrefix: "perch/gw/gpio", stateFilePath: "/nonexistent/gpio-state.json"),
            openChip: { () throws(GPIOError) -> any GPIOChip in throw GPIOError(.permissionDenied, chip: "gpiochip9") },
            upstream: upstream,
            eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
            logger: InMemoryLogStore().makeLogger(label: "gpio")
        )
        try await testGracefulShutdown { trigger in
            async let run: Void = service.run()
            let error = try await withTimeout(.seconds(10), waitingFor: "the error in the status") {
                while true {
                    if let error = service.status.error { return error }
                    await Task.yield()
                }
            }
            #expect(error.contains("gpiochip9") && error.contains("group gpio"), "\(error)")
            trigger.triggerGracefulShutdown()
            try await run
        }
        #expect(upstream.messages.isEmpty)
        #expect(upstream.filters.isEmpty)
    }

    @Test func homeAssistantBirthRepublishesDiscovery() async throws {
        let fixture = try Fixture(homeAssistant: true)
        defer { fixture.directory.remove() }
        try await testGracefulShutdown { trigger in
            async let run: Void = fixture.service.run()
            let first = try await fixture.upstream.next(on: "ha/switch/perch_gw/relay1/config")
            #expect(fixture.upstream.filters.contains("ha/status"))
            fixture.service.deliver(Message(topic: "ha/status", text: "online"))
            #expect(try await fixture.upstream.next(on: "ha/switch/perch_gw/relay1/config") == first)
            trigger.triggerGracefulShutdown()
            try await run
        }
    }
}
