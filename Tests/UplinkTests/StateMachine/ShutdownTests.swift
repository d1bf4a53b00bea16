import MQTTCodec
import NIOCore
import Testing

@testable import Uplink

@Suite struct ShutdownTests {
    private let disconnect = MQTTPacket.disconnect(DisconnectPacket(reasonCode: .success))

    @Test func idleConnectionDisconnectsAtOnce() {
        var machine = makeMachine()
        machine.connect()
        let actions = machine.shutdown(now: start)
        #expect(actions.sent == [disconnect])
        #expect(actions.closeReason == .some(nil))
        #expect(machine.isStopped)
    }

    @Test func queuedMessagesFailAndInFlightOnesAreWaitedFor() {
        var machine = makeMachine(window: 1)
        machine.connect()
        _ = machine.publish(message("in-flight"), 1)
        _ = machine.publish(message("queued"), 2)
        let actions = machine.shutdown(now: start)
        #expect(actions.completions == [request(2): .failed(.shuttingDown)])
        #expect(actions.sent.isEmpty)
        // Nothing new is taken while draining.
        #expect(machine.publish(message("late"), 3).completions == [request(3): .failed(.shuttingDown)])

        let ack = machine.received(.puback(PublishAckPacket(packetID: 1)), now: start + .milliseconds(10))
        #expect(ack.completions == [request(1): .published])
        #expect(ack.sent == [disconnect])
        #expect(ack.closeReason == .some(nil))
    }

    @Test func qos2FlowIsFinishedBeforeDisconnect() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.publish(message("two", qos: .exactlyOnce), 1)
        _ = machine.shutdown(now: start)
        let pubrec = machine.received(.pubrec(PublishAckPacket(packetID: 1)), now: start)
        #expect(pubrec.sent == [.pubrel(PublishAckPacket(packetID: 1))])
        let pubcomp = machine.received(.pubcomp(PublishAckPacket(packetID: 1)), now: start)
        #expect(pubcomp.sent == [disconnect])
    }

    @Test func drainTimeoutFailsTheRestAndDisconnects() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.publish(message("unanswered"), 1)
        _ = machine.shutdown(now: start)
        #expect(machine.nextDeadline == start + .seconds(2))
        #expect(machine.timerFired(now: start + .seconds(1)).isEmpty)
        let actions = machine.timerFired(now: start + .seconds(2))
        #expect(actions.completions == [request(1): .failed(.shuttingDown)])
        #expect(actions.sent == [disconnect])
    }

    @Test func connectionLostWhileDrainingFailsTheWaiters() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.publish(message("lost"), 1)
        _ = machine.shutdown(now: start)
        let actions = machine.connectionClosed()
        #expect(actions.completions == [request(1): .failed(.shuttingDown)])
        #expect(machine.connectionOpened(now: start) == [.close(nil)])
    }

    @Test func shutdownWhileDisconnectedFailsEverything() {
        var machine = makeMachine()
        machine.connect()
        _ = machine.publish(message("a"), 1)
        _ = machine.connectionClosed()
        _ = machine.publish(message("b"), 2)
        _ = machine.subscribe("x", qos: .atLeastOnce, request: request(3), now: start)
        let actions = machine.shutdown(now: start)
        #expect(
            actions.completions == [
                request(1): .failed(.shuttingDown), request(2): .failed(.shuttingDown), request(3): .failed(.shuttingDown),
            ]
        )
        #expect(actions.sent.isEmpty)
    }
}
