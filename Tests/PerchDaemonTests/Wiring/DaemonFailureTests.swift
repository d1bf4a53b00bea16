import CoAPServer
import MQTTSNServer
import PerchCore
@testable import PerchDaemon
import Testing

@Suite("The one line perchd logs when it stops on an error")
struct DaemonFailureTests {
    static let dtlsListen = [ListenAddress(host: "127.0.0.1", port: 5684)]

    @Test("an MQTT-SN bind failure names the address, udp and the system's reason, not NIO's call")
    func mqttsnBind() {
        let error = MQTTSNServerError.bindFailed(
            address: "127.0.0.1:1884", reason: "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)")
        #expect("\(DaemonFailure(error, coapDTLSListen: Self.dtlsListen))"
            == "cannot listen on 127.0.0.1:1884/udp for MQTT-SN: Address already in use")
    }

    @Test("a CoAP bind failure says whether the address is plain or DTLS")
    func coapBind() {
        let plain = CoAPServerError.bindFailed(address: "127.0.0.1:5683", reason: "Address already in use")
        let secure = CoAPServerError.bindFailed(address: "127.0.0.1:5684", reason: "Address already in use")
        #expect("\(DaemonFailure(plain, coapDTLSListen: Self.dtlsListen))"
            == "cannot listen on 127.0.0.1:5683/udp for CoAP: Address already in use")
        #expect("\(DaemonFailure(secure, coapDTLSListen: Self.dtlsListen))"
            == "cannot listen on 127.0.0.1:5684/udp for CoAP over DTLS: Address already in use")
    }

    @Test("a reason without an errno is kept as it is")
    func plainReason() {
        #expect(DaemonFailure.systemReason("libcoap could not bind") == "libcoap could not bind")
        #expect(DaemonFailure.systemReason("odd (errno: x)") == "odd (errno: x)")
    }
}
