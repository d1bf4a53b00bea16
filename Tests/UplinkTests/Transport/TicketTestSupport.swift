import MQTTCodec
import NIOCore
import PerchCore

@testable import Uplink

func ticket(_ number: UInt64) -> UpstreamTicket {
    UpstreamTicket(rawValue: number)
}

extension UplinkStateMachine {
    /// Transmits `packet` for the spool with ticket `number`, as `Uplink.transmit` does.
    mutating func transmit(_ packet: PublishPacket, ticket number: UInt64, size: Int = 20, now: NIODeadline = start) -> [UplinkAction] {
        publish(packet, encodedSize: size, request: .ticket(ticket(number)), now: now)
    }
}

extension Array where Element == UplinkAction {
    /// The ticket outcomes these actions report, in order, as the connection
    /// layer hands them to the transmission handler: a QoS 0 PUBLISH
    /// completing a ticket is delivered when it is handed to the connection.
    var reports: [(UpstreamTicket, UpstreamTransmissionOutcome)] {
        compactMap { action in
            switch action {
            case .complete(.ticket(let ticket), let outcome):
                return (ticket, UpstreamTransmissionOutcome(outcome))
            case .send(_, completing: .ticket(let ticket)?):
                return (ticket, .delivered)
            default:
                return nil
            }
        }
    }

    /// `reports` as a dictionary, for tests where each ticket appears once.
    var ticketOutcomes: [UpstreamTicket: UpstreamTransmissionOutcome] {
        Dictionary(reports, uniquingKeysWith: { first, _ in first })
    }
}
