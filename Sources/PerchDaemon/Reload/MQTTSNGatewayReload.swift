import MQTTSNServer
import PerchConfig

/// The MQTT-SN gateway's live settings (`MQTTSNGateway.reconfigure`):
/// predefined topics, the allow-list, limits, retransmission, ADVERTISE.
struct MQTTSNGatewayReload: ReloadablePart {
    let server: MQTTSNServer
    var reloadName: String { "mqttsn" }

    func apply(_ new: PerchConfiguration, replacing old: PerchConfiguration) async -> ReloadOutcome {
        guard new.mqttsn != old.mqttsn else { return ReloadOutcome() }
        do {
            // No listener in the new file: MQTT-SN stays as it is until a
            // restart (`mqttsn.listen` is reported as needing one).
            guard let configuration = try new.makeMQTTSNServerConfiguration() else { return ReloadOutcome() }
            return ReloadOutcome(applied: try await server.reconfigure(configuration.gateway))
        } catch {
            return ReloadOutcome(refused: [(key: "mqttsn", reason: "\(error)")])
        }
    }
}
