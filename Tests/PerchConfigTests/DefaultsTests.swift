import PerchCore
import PerchConfig
import Testing

/// A file holding only `uplink.url` is complete (SPEC §1); every default is the documented one.
@Suite struct DefaultsTests {
    let minimal = """
        uplink:
          url: mqtts://broker.example.com
        """

    @Test func minimalFileTakesEveryDefault() throws {
        let loaded = try ConfigurationLoader.deterministic().load(yaml: minimal, fileName: "perch.yaml")
        let configuration = loaded.configuration
        #expect(loaded.warnings.isEmpty)

        #expect(configuration.gateway == GatewayConfiguration(id: "test-host", stateDirectory: "/var/lib/perch"))

        let uplink = configuration.uplink
        #expect(uplink.url == BrokerURL(host: "broker.example.com", port: 8883, isTLS: true))
        #expect(uplink.protocolVersion == .v5)
        #expect(uplink.clientID == "perch-test-host")
        #expect(uplink.username == nil)
        #expect(uplink.password == nil)
        #expect(uplink.keepAlive == .seconds(30))
        #expect(uplink.cleanStart == false)
        #expect(uplink.mountpoint == "")
        #expect(uplink.reconnect == ReconnectConfiguration(minimum: .seconds(1), maximum: .seconds(120)))
        #expect(uplink.connectTimeout == .seconds(10))
        let tls = try #require(uplink.tls)
        #expect(tls.caFile == "/etc/ssl/certs/ca-certificates.crt")
        #expect(tls.clientCertificate == nil)
        #expect(tls.serverName == "broker.example.com")
        #expect(tls.alpn.isEmpty)
        #expect(tls.insecureSkipVerify == false)

        let mqttsn = configuration.mqttsn
        #expect(mqttsn.listen == [ListenAddress(host: "0.0.0.0", port: 1884)])
        #expect(mqttsn.gatewayID == 1)
        #expect(mqttsn.advertise == nil)
        #expect(mqttsn.predefinedTopics.isEmpty)
        #expect(mqttsn.allowedClients.isEmpty)
        #expect(mqttsn.maxClients == 1000)
        #expect(mqttsn.sleepingBuffer == 100)
        #expect(mqttsn.retry == RetryConfiguration(interval: .seconds(10), count: 5))
        #expect(mqttsn.receiveBuffer == .mebibytes(4))
        #expect(mqttsn.rateLimit == RateLimit(rate: 1_000, burst: 2_000))

        #expect(configuration.coap == CoAPConfiguration(listen: [ListenAddress(host: "0.0.0.0", port: 5683)], dtls: nil, resources: [], receiveBuffer: .mebibytes(4)))
        #expect(configuration.spool == SpoolConfiguration(
            maxBytes: ByteCount(bytes: 64 * 1024 * 1024), maxAge: .seconds(7 * 86_400),
            bufferQoS0: true, overflow: .dropOldest, commitInterval: .milliseconds(100)
        ))
        #expect(configuration.gpio == nil)
        #expect(configuration.status == StatusConfiguration(topic: "perch/test-host/status", interval: .seconds(30)))
        #expect(configuration.log.level == .info)
    }

    @Test func plainURLHasPort1883AndNoTLS() throws {
        let loaded = try ConfigurationLoader.deterministic().load(yaml: "uplink: {url: \"mqtt://[::1]\"}", fileName: "p.yaml")
        #expect(loaded.configuration.uplink.url == BrokerURL(host: "::1", port: 1883, isTLS: false))
        #expect(loaded.configuration.uplink.tls == nil)
    }

    @Test func emptySectionsSwitchFeaturesOnWithDefaults() throws {
        let yaml = """
            uplink: { url: "mqtt://127.0.0.1:1883", protocol: 3.1.1 }
            mqttsn:
              advertise:
            gpio:
              homeassistant:
            """
        let configuration = try ConfigurationLoader.deterministic().load(yaml: yaml, fileName: "p.yaml").configuration
        #expect(configuration.uplink.protocolVersion == .v3_1_1)
        #expect(configuration.mqttsn.advertise == AdvertiseConfiguration(
            interval: .seconds(900), address: ListenAddress(host: "255.255.255.255", port: 1884)))
        #expect(configuration.gpio == GPIOConfiguration(chip: "gpiochip0", pins: [], homeAssistant: HomeAssistantConfiguration()))
    }

    @Test func unquotedProtocolFiveIsAccepted() throws {
        let yaml = "uplink: { url: mqtt://h, protocol: 5 }"
        #expect(try ConfigurationLoader.deterministic().load(yaml: yaml, fileName: "p.yaml").configuration.uplink.protocolVersion == .v5)
    }

    @Test("mqttsn.rate_limit: off, a mapping, a burst defaulting to twice the rate; uplink.connect_timeout")
    func rateLimitAndConnectTimeout() throws {
        let loader = ConfigurationLoader.deterministic()
        let off = try loader.load(yaml: "uplink: {url: mqtt://h, connect_timeout: 1500ms}\nmqttsn: {rate_limit: off}", fileName: "p.yaml")
        #expect(off.configuration.mqttsn.rateLimit == nil)
        #expect(off.configuration.uplink.connectTimeout == .milliseconds(1_500))
        let set = try loader.load(yaml: "uplink: {url: mqtt://h}\nmqttsn: {rate_limit: {rate: 50, burst: 60}}", fileName: "p.yaml")
        #expect(set.configuration.mqttsn.rateLimit == RateLimit(rate: 50, burst: 60))
        let rateOnly = try loader.load(yaml: "uplink: {url: mqtt://h}\nmqttsn: {rate_limit: {rate: 5000}}", fileName: "p.yaml")
        #expect(rateOnly.configuration.mqttsn.rateLimit == RateLimit(rate: 5_000, burst: 10_000))
    }

    @Test func sizesAndDurationsInEveryUnit() throws {
        let yaml = """
            uplink: { url: mqtt://h, reconnect: { min: 250ms, max: 2h } }
            spool: { max_bytes: 512KiB, max_age: 15m, commit_interval: 0ms }
            status: { interval: 1d }
            """
        let configuration = try ConfigurationLoader.deterministic().load(yaml: yaml, fileName: "p.yaml").configuration
        #expect(configuration.uplink.reconnect == ReconnectConfiguration(minimum: .milliseconds(250), maximum: .seconds(7_200)))
        #expect(configuration.spool.maxBytes == ByteCount(bytes: 512 * 1024))
        #expect(configuration.spool.maxAge == .seconds(900))
        #expect(configuration.spool.commitInterval == .zero)
        #expect(configuration.status.interval == .seconds(86_400))
        let plainBytes = try ConfigurationLoader.deterministic().load(yaml: "uplink: {url: mqtt://h}\nspool: {max_bytes: 1048576}", fileName: "p.yaml")
        #expect(plainBytes.configuration.spool.maxBytes == ByteCount.mebibytes(1))
    }
}
