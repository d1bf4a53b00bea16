import PerchConfig
@testable import PerchDaemon
import Testing

@Suite("reload: which changed keys wait for a restart")
struct RestartOnlyChangesTests {
    static func load(_ yaml: String) throws -> PerchConfiguration {
        try ConfigurationLoader().load(yaml: yaml, fileName: "perch.yaml").configuration
    }

    @Test("live keys are not named; restart-only ones are, by their YAML key")
    func names() throws {
        let base = try Self.load("""
            uplink: { url: "mqtt://127.0.0.1:1883", keepalive: 30s }
            mqttsn: { listen: ["127.0.0.1:1884"], max_clients: 10 }
            log: { level: info }
            status: { interval: 30s }
            """)
        let live = try Self.load("""
            uplink: { url: "mqtt://127.0.0.1:1883", keepalive: 30s }
            mqttsn: { listen: ["127.0.0.1:1884"], max_clients: 20, predefined_topics: { 1: a/b } }
            log: { level: debug }
            status: { interval: 5s }
            spool: { max_bytes: 1MiB }
            """)
        #expect(base.restartOnlyChanges(to: live) == [])
        let restart = try Self.load("""
            uplink: { url: "mqtt://127.0.0.1:1884", keepalive: 10s }
            mqttsn: { listen: ["127.0.0.1:1885"], max_clients: 10 }
            coap: { listen: [] }
            log: { level: info }
            status: { interval: 30s, topic: "elsewhere/status" }
            """)
        #expect(base.restartOnlyChanges(to: restart) == ["uplink.url", "uplink.keepalive", "mqttsn.listen", "coap.listen", "status.topic"])
    }
}
