import MQTTCodec
import NIOCore
import PerchCore
import PerchTestKit
import Testing

@testable import Uplink

/// Seeded random sequences of transmit, acknowledgement, refusal, link loss,
/// reconnect (with and without session) and shutdown, checking the
/// `UpstreamTransport` invariant after every step: no ticket reported twice,
/// every ticket reported once the uplink has stopped, and the delivered QoS 1
/// tickets in transmit order.
@Suite struct TicketExactlyOnceTests {
    /// The model of a conforming broker and the bookkeeping of one run.
    private struct Run {
        var machine: UplinkStateMachine
        var random: PerchTestKit.SplitMix64
        var nextTicket: UInt64 = 0
        var qos: [UpstreamTicket: MQTTQoS] = [:]
        var outcomes: [UpstreamTicket: UpstreamTransmissionOutcome] = [:]
        var deliveredQoS1: [UpstreamTicket] = []
        var now = start

        init(seed: UInt64) {
            random = PerchTestKit.SplitMix64(seed: seed)
            machine = makeMachine(window: Int.random(in: 1...5, using: &random))
        }

        mutating func take(_ actions: [UplinkAction]) {
            for (ticket, outcome) in actions.reports {
                #expect(outcomes[ticket] == nil, "\(ticket) reported twice: \(outcomes[ticket].map { "\($0)" } ?? "") then \(outcome)")
                outcomes[ticket] = outcome
                if outcome == .delivered, qos[ticket] == .atLeastOnce { deliveredQoS1.append(ticket) }
            }
        }

        mutating func transmit() {
            nextTicket += 1
            let ticket = UpstreamTicket(rawValue: nextTicket)
            let level = [MQTTQoS.atMostOnce, .atLeastOnce, .atLeastOnce, .exactlyOnce].randomElement(using: &random) ?? .atLeastOnce
            qos[ticket] = level
            take(machine.transmit(message("t/\(nextTicket)", qos: level), ticket: nextTicket, now: now))
        }

        /// The broker answers the oldest unacknowledged PUBLISH (it acknowledges
        /// in order, MQTT 5.0 §4.6), now and then with a refusal; PUBCOMPs at random.
        mutating func acknowledge() {
            guard machine.isConnected else { return }
            let open = machine.inFlight.values.sorted { $0.sequence < $1.sequence }
            let completing = open.filter { $0.stage == .awaitingCompletion }
            if let entry = completing.randomElement(using: &random), Bool.random(using: &random) {
                take(machine.received(.pubcomp(PublishAckPacket(packetID: entry.packetID)), now: now))
                return
            }
            guard let oldest = open.first(where: { $0.stage == .awaitingAcknowledgement }) else { return }
            let code: MQTTReasonCode = Int.random(in: 0..<10, using: &random) == 0 ? .quotaExceeded : .success
            let ack = PublishAckPacket(packetID: oldest.packetID, reasonCode: code)
            take(machine.received(oldest.packet.qos == .exactlyOnce ? .pubrec(ack) : .puback(ack), now: now))
        }

        mutating func step() {
            now = now + .milliseconds(10)
            switch Int.random(in: 0..<20, using: &random) {
            case 0..<8:
                transmit()
            case 8..<17:
                acknowledge()
            case 17:
                if machine.isConnected { take(machine.connectionClosed()) }
            default:
                if machine.phase == .disconnected {
                    take(machine.connect(sessionPresent: Bool.random(using: &random), now: now))
                }
            }
        }

        /// Shutdown, some more traffic, then the connection goes for good.
        mutating func finish() {
            take(machine.shutdown(now: now))
            for _ in 0..<20 {
                now = now + .milliseconds(100)
                if Bool.random(using: &random) { transmit() } else { acknowledge() }
                take(machine.timerFired(now: now))
            }
            take(machine.timerFired(now: now + .seconds(10)))
            take(machine.connectionClosed())
        }
    }

    @Test(arguments: 1...30)
    func everyTicketIsReportedExactlyOnce(seed: UInt64) {
        var run = Run(seed: seed)
        for _ in 0..<Int.random(in: 100...600, using: &run.random) {
            run.step()
        }
        run.finish()
        #expect(run.machine.isStopped)
        let missing = run.qos.keys.filter { run.outcomes[$0] == nil }.sorted { $0.rawValue < $1.rawValue }
        #expect(missing.isEmpty, "never reported: \(missing)")
        #expect(run.outcomes.count == Int(run.nextTicket))
        #expect(run.deliveredQoS1 == run.deliveredQoS1.sorted { $0.rawValue < $1.rawValue }, "QoS 1 delivered out of transmit order")
        // The run exercised what it is meant to.
        #expect(run.outcomes.values.contains(.delivered))
        #expect(run.outcomes.values.contains(.interrupted) || run.outcomes.values.contains { if case .refused = $0 { true } else { false } })
    }
}
