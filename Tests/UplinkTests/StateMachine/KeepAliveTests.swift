import MQTTCodec
import NIOCore
import Testing

@testable import Uplink

@Suite struct KeepAliveTests {
    @Test func pingAfterAKeepAliveWithoutSending() {
        var keepAlive = KeepAlive(interval: .seconds(10), now: start)
        keepAlive.didReceive(at: start + .seconds(9))
        #expect(keepAlive.nextDeadline == start + .seconds(10))
        #expect(keepAlive.decide(now: start + .milliseconds(9_999)) == .nothing)
        #expect(keepAlive.decide(now: start + .seconds(10)) == .sendPing)
        #expect(keepAlive.isPingOutstanding)
    }

    /// A client that only publishes still pings when it hears nothing back.
    @Test func pingAfterAKeepAliveWithoutReceiving() {
        var keepAlive = KeepAlive(interval: .seconds(10), now: start)
        keepAlive.didSend(at: start + .seconds(9))
        #expect(keepAlive.decide(now: start + .seconds(10)) == .sendPing)
        // Only one ping for the silence: the next deadline is the dead line.
        keepAlive.didSend(at: start + .seconds(14))
        #expect(keepAlive.nextDeadline == start + .seconds(15))
        #expect(keepAlive.decide(now: start + .seconds(14)) == .nothing)
    }

    /// MQTT 5.0 §3.1.2.10: 1.5 × keep-alive without a packet means the link is dead.
    @Test func deadAfterOneAndAHalfKeepAlives() {
        var keepAlive = KeepAlive(interval: .seconds(10), now: start)
        #expect(keepAlive.decide(now: start + .seconds(10)) == .sendPing)
        #expect(keepAlive.decide(now: start + .milliseconds(14_999)) == .nothing)
        #expect(keepAlive.decide(now: start + .seconds(15)) == .declareDead)
    }

    @Test func anyPacketKeepsTheLinkAlive() {
        var keepAlive = KeepAlive(interval: .seconds(10), now: start)
        #expect(keepAlive.decide(now: start + .seconds(10)) == .sendPing)
        keepAlive.didReceive(at: start + .seconds(11))
        #expect(!keepAlive.isPingOutstanding)
        #expect(keepAlive.decide(now: start + .seconds(16)) == .nothing)
        #expect(keepAlive.nextDeadline == start + .seconds(20))
    }

    @Test func zeroTurnsItOff() {
        var keepAlive = KeepAlive(interval: .zero, now: start)
        #expect(keepAlive.nextDeadline == nil)
        #expect(keepAlive.decide(now: start + .hours(10)) == .nothing)
    }

    @Test func stateMachinePingsAndDeclaresDead() {
        var machine = makeMachine(keepAliveSeconds: 10)
        machine.connect()
        #expect(machine.nextDeadline == start + .seconds(10))
        #expect(machine.timerFired(now: start + .seconds(10)).sent == [.pingreq])
        let actions = machine.timerFired(now: start + .seconds(15))
        #expect(actions.closeReason == .some(.keepAliveTimeout(after: .seconds(15))))
    }

    /// MQTT 5.0 §3.2.2.3.14: the Server Keep Alive replaces the client's value.
    @Test func serverKeepAliveWins() {
        var machine = makeMachine(keepAliveSeconds: 60)
        machine.connect(serverKeepAlive: 5)
        #expect(machine.nextDeadline == start + .seconds(5))
    }

    @Test func connectTimeoutWithoutConnAck() {
        var machine = makeMachine(connectTimeout: .seconds(5))
        #expect(machine.connectionOpened(now: start).sent.count == 1)
        #expect(machine.nextDeadline == start + .seconds(5))
        #expect(machine.timerFired(now: start + .seconds(4)).isEmpty)
        let actions = machine.timerFired(now: start + .seconds(5))
        // MQTT 5: a broker that speaks only 3.1.1 may be silent; the error says so.
        let timeout = UplinkError.connectTimeout(endpoint: "127.0.0.1:1883", after: .seconds(5))
        #expect(actions.closeReason == .some(.protocolMismatch(detail: timeout.description)))
    }
}

@Suite struct ErrorWordingTests {
    @Test func boringSSLReasonsBecomeWords() {
        let line = "Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /src/ssl/handshake.cc:320"
        #expect(TLSErrorDescription.reason(of: line) == "certificate verify failed")
        #expect(TLSErrorDescription.reason(of: "something else: entirely") == "something else: entirely")
    }

    @Test func connAckNamesIn311() {
        let codes: [UInt8: String] = [
            1: "unacceptable protocol version", 2: "identifier rejected", 3: "server unavailable",
            4: "bad user name or password", 5: "not authorized",
        ]
        for (code, name) in codes {
            let error = UplinkError.connectionRefused(code: MQTTReasonCode(code), version: .v3_1_1)
            #expect(error.description == "broker refused the connection: \(name) (0x0\(code))")
        }
    }
}
