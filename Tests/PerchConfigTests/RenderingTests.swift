import Foundation
import PerchConfig
import Testing

/// `renderEffectiveYAML()` for `perchd check`: every key, secrets redacted,
/// and loading the output gives the same configuration.
@Suite struct RenderingTests {
    let fullYAML = """
        gateway: { id: greenhouse-pi, state_dir: /tmp/perch }
        uplink:
          url: "mqtts://[::1]:8884"
          protocol: "3.1.1"
          username: "greenhouse \\"one\\""
          password_file: /etc/perch/present.password
          keepalive: 45s
          clean_start: true
          mountpoint: "site/${gateway}/${clientid}/"
          reconnect: { min: 500ms, max: 90s }
          tls: { server_name: broker.local, alpn: [x-amzn-mqtt-ca] }
        mqttsn:
          listen: ["[::]:1884", "127.0.0.1:0"]
          gateway_id: 9
          advertise: { interval: 10m, address: "192.168.1.255:1884" }
          predefined_topics: { 2: "a/b", 1: "c: d" }
          allow_clients: [node-1, node-2]
          max_clients: 5
          sleeping_buffer: 0
          retry: { interval: 2s, count: 0 }
          receive_buffer: 8MiB
        coap:
          listen: []
          dtls: { psk: [{ identity: node-7, key_file: /etc/perch/present.password }] }
          resources: [{ path: a/t, topic: "x/${gateway}" }]
          receive_buffer: 16MiB
        spool: { max_bytes: 100000, max_age: 36h, buffer_qos0: false, overflow: reject_new, commit_interval: 1s }
        gpio:
          chip: simulated
          pins:
            - { name: relay1, line: 17, direction: output, initial: on, on_exit: initial, active_low: true }
            - { name: door, line: GPIO27, bias: pull_down, debounce: 20ms }
          homeassistant: { discovery: false }
        status: { topic: "s/${gateway}", interval: 5s }
        log: { level: trace }
        """

    @Test func renderingThenLoadingGivesTheSameConfiguration() throws {
        let loader = ConfigurationLoader.deterministic()
        let original = try loader.load(yaml: fullYAML, fileName: "full.yaml").configuration
        let rendered = original.renderEffectiveYAML()
        let reloaded = try loader.load(yaml: rendered, fileName: "rendered.yaml").configuration
        #expect(reloaded == original, "\(rendered)")
    }

    @Test func defaultsRoundTripToo() throws {
        let loader = ConfigurationLoader.deterministic()
        let original = try loader.load(yaml: "uplink: {url: mqtt://h}", fileName: "p.yaml").configuration
        let reloaded = try loader.load(yaml: original.renderEffectiveYAML(), fileName: "r.yaml").configuration
        #expect(reloaded == original)
    }

    @Test func everySectionAndKeyIsPrinted() throws {
        let loader = ConfigurationLoader.deterministic()
        let rendered = try loader.load(yaml: fullYAML, fileName: "full.yaml").configuration.renderEffectiveYAML()
        for key in ["gateway:", "state_dir:", "uplink:", "protocol: \"3.1.1\"", "keepalive: 45s", "reconnect: { min: 500ms, max: 90s }",
                    "tls:", "ca_file: \"/etc/ssl/certs/ca-certificates.crt\"", "mqttsn:", "1: \"c: d\"", "receive_buffer: 8MiB", "coap:", "receive_buffer: 16MiB", "psk:",
                    "spool:", "max_bytes: 100000B", "max_age: 36h", "gpio:", "status:", "log:", "level: trace"] {
            #expect(rendered.contains(key), "missing \(key)")
        }
    }

    @Test func inlineSecretsAreRedacted() throws {
        let yaml = """
            uplink: { url: mqtt://h, username: u, password: hunter2 }
            coap: { dtls: { psk: [{ identity: node-7, key: swordfish }] } }
            """
        let loaded = try ConfigurationLoader.deterministic().load(yaml: yaml, fileName: "p.yaml")
        #expect(loaded.configuration.uplink.password?.value == "hunter2")
        let rendered = loaded.configuration.renderEffectiveYAML()
        #expect(!rendered.contains("hunter2"))
        #expect(!rendered.contains("swordfish"))
        #expect(rendered.contains("password: <redacted>"))
        #expect(rendered.contains("key: <redacted>"))
        #expect("\(loaded.configuration.uplink.password as Any)".contains("hunter2") == false)
    }

    @Test func secretFilesShowTheirPathNotTheirContents() throws {
        let loaded = try ConfigurationLoader.deterministic()
            .load(yaml: "uplink: { url: mqtt://h, password_file: /etc/perch/present.password }", fileName: "p.yaml")
        let rendered = loaded.configuration.renderEffectiveYAML()
        #expect(rendered.contains("password_file: \"/etc/perch/present.password\""))
        #expect(!rendered.contains("s3cret"))
    }
}
