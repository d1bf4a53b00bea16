import PerchConfig
import PerchTestKit
import Testing

/// `${gateway}` in every topic string and the client id; `${clientid}` kept in the mountpoint.
@Suite struct SubstitutionTests {
    @Test func gatewayIsSubstitutedEverywhere() throws {
        let yaml = """
            gateway: { id: greenhouse-pi }
            uplink:
              url: mqtt://broker.local
              client_id: "gw-${gateway}-${gateway}"
              mountpoint: "site/${gateway}/${clientid}/"
            mqttsn:
              predefined_topics: { 7: "${gateway}/temperature" }
            coap:
              resources: [{ path: t, topic: "nodes/${gateway}/t" }]
            gpio:
              homeassistant: { prefix: "ha/${gateway}" }
            status:
              topic: "health/${gateway}"
            """
        let configuration = try ConfigurationLoader.deterministic().load(yaml: yaml, fileName: "p.yaml").configuration
        #expect(configuration.uplink.clientID == "gw-greenhouse-pi-greenhouse-pi")
        #expect(configuration.uplink.mountpoint == "site/greenhouse-pi/${clientid}/")
        #expect(configuration.uplink.mountpoint(forClient: "node-7") == "site/greenhouse-pi/node-7/")
        #expect(configuration.mqttsn.predefinedTopics == [PredefinedTopic(id: 7, topic: "greenhouse-pi/temperature")])
        #expect(configuration.coap.resources == [CoAPResource(path: "t", topic: "nodes/greenhouse-pi/t")])
        #expect(configuration.gpio?.homeAssistant?.prefix == "ha/greenhouse-pi")
        #expect(configuration.status.topic == "health/greenhouse-pi")
    }

    @Test func defaultsUseTheHostName() throws {
        let loader = ConfigurationLoader(fileSystem: InMemoryFileSystem.standard, hostName: { "pi-42" })
        let configuration = try loader.load(yaml: "uplink: {url: mqtt://h}", fileName: "p.yaml").configuration
        #expect(configuration.gateway.id == "pi-42")
        #expect(configuration.uplink.clientID == "perch-pi-42")
        #expect(configuration.status.topic == "perch/pi-42/status")
    }

    @Test func unusableHostNameIsReportedAtGatewayID() {
        let loader = ConfigurationLoader(fileSystem: InMemoryFileSystem.standard, hostName: { "" })
        let errors = thrownError(ConfigurationErrors.self) {
            try loader.load(yaml: "uplink: {url: mqtt://h}", fileName: "p.yaml")
        }
        #expect(errors?.errors.map(\.keyPath) == ["gateway.id"])
    }
}
