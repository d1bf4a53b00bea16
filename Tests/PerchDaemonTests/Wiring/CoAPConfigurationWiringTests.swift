import CoAPServer
import PerchConfig
import PerchCore
@testable import PerchDaemon
import Testing

/// `coap:` and `uplink.mountpoint` as the CoAP server gets them (SPEC §1, §4).
@Suite("the CoAP server's configuration from perch.yaml")
struct CoAPConfigurationWiringTests {
    private func configuration(_ yaml: String) throws -> PerchConfiguration {
        try ConfigurationLoader(hostName: { "test-host" }).load(yaml: yaml, fileName: "perch.yaml").configuration
    }

    @Test("a file with only uplink.url serves CoAP on 0.0.0.0:5683 with no mountpoint")
    func defaults() throws {
        let server = try #require(try configuration("uplink: { url: mqtt://broker }").makeCoAPServerConfiguration())
        #expect(server.listen == [ListenAddress(host: "0.0.0.0", port: 5683)])
        #expect(server.mountpoint.isEmpty)
        #expect(server.aliases.isEmpty)
        #expect(server.receiveBufferSize == 4 * 1024 * 1024)
    }

    @Test("coap.receive_buffer becomes the sockets' SO_RCVBUF request")
    func receiveBuffer() throws {
        let server = try #require(try configuration("uplink: { url: mqtt://broker }\ncoap: { receive_buffer: 16MiB }").makeCoAPServerConfiguration())
        #expect(server.receiveBufferSize == 16 * 1024 * 1024)
    }

    @Test("an empty coap.listen turns plain CoAP off")
    func off() throws {
        #expect(try configuration("uplink: { url: mqtt://broker }\ncoap: { listen: [] }").makeCoAPServerConfiguration() == nil)
    }

    @Test("coap.dtls alone serves coaps only; each PSK is its text's bytes")
    func dtlsOnly() throws {
        let yaml = """
            uplink: { url: mqtt://broker, mountpoint: "site/${clientid}/" }
            coap:
              listen: []
              dtls:
                listen: ["127.0.0.1:5684"]
                psk: [{ identity: node-7, key: "k7" }, { identity: node-8, key: "k8" }]
            """
        let server = try #require(try configuration(yaml).makeCoAPServerConfiguration())
        #expect(server.listen.isEmpty)
        #expect(server.mountpoint.prefix == "site/${clientid}/")
        let dtls = try #require(server.dtls)
        #expect(dtls.listen == [ListenAddress(host: "127.0.0.1", port: 5684)])
        #expect(dtls.keys == ["node-7": Array("k7".utf8), "node-8": Array("k8".utf8)])
    }

    @Test("resources become aliases; the mountpoint has ${gateway} substituted")
    func aliasesAndMountpoint() throws {
        let yaml = """
            gateway: { id: gh }
            uplink: { url: mqtt://broker, mountpoint: "site/${gateway}/" }
            coap:
              listen: ["127.0.0.1:5683", "[::1]:5683"]
              resources:
                - { path: t, topic: "sensors/${gateway}/temperature" }
                - { path: node-7/h, topic: sensors/humidity }
            """
        let server = try #require(try configuration(yaml).makeCoAPServerConfiguration())
        #expect(server.listen == [ListenAddress(host: "127.0.0.1", port: 5683), ListenAddress(host: "::1", port: 5683)])
        #expect(server.mountpoint.prefix == "site/gh/")
        #expect(server.aliases == ["t": "sensors/gh/temperature", "node-7/h": "sensors/humidity"])
    }
}
