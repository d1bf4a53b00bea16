import Foundation
import PerchConfig
import PerchCore
import Testing

/// The samples in `etc/` load on a plain Debian machine.
@Suite struct SampleFileTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let loader = ConfigurationLoader(fileSystem: LocalFileSystem(), hostName: { "test-host" })

    @Test func fullSampleLoadsWithoutErrorsOrWarnings() throws {
        let loaded = try loader.load(path: Self.repositoryRoot.appendingPathComponent("etc/perch.yaml").path)
        #expect(loaded.warnings.isEmpty)
        let configuration = loaded.configuration
        #expect(configuration.gateway.id == "greenhouse-pi")
        #expect(configuration.uplink.url == BrokerURL(host: "broker.example.com", port: 8883, isTLS: true))
        #expect(configuration.uplink.clientID == "perch-greenhouse-pi")
        #expect(configuration.uplink.mountpoint == "site/greenhouse-pi/")
        #expect(configuration.mqttsn.predefinedTopics == [
            PredefinedTopic(id: 1, topic: "sensors/temperature"), PredefinedTopic(id: 2, topic: "sensors/humidity"),
        ])
        #expect(configuration.mqttsn.advertise?.interval == .seconds(900))
        let pins = try #require(configuration.gpio?.pins)
        #expect(pins == [
            GPIOPin(name: "relay1", line: .name("GPIO17"), direction: .output, activeLow: true, initial: .restore, onExit: .keep),
            GPIOPin(name: "door", line: .name("GPIO27"), direction: .input, bias: .pullUp, debounce: .milliseconds(50)),
        ])
        #expect(configuration.status.topic == "perch/greenhouse-pi/status")
    }

    @Test func minimalSampleIsTheDefaultsPlusTheURL() throws {
        let minimal = try loader.load(path: Self.repositoryRoot.appendingPathComponent("etc/perch.minimal.yaml").path)
        let inline = try loader.load(yaml: "uplink: { url: \"mqtts://broker.example.com:8883\" }", fileName: "inline.yaml")
        #expect(minimal.configuration == inline.configuration)
    }
}
