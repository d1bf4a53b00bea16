import CoAPServer
import PerchConfig

/// `coap.resources`, live (`CoAPServer.reconfigure(aliases:)`): new aliases
/// are served at once, removed ones answer 4.04 and end their observations.
struct CoAPResourcesReload: ReloadablePart {
    let server: CoAPServer
    var reloadName: String { "coap" }

    func apply(_ new: PerchConfiguration, replacing old: PerchConfiguration) async -> ReloadOutcome {
        guard new.coap.resources != old.coap.resources else { return ReloadOutcome() }
        return await server.reconfigure(aliases: new.coapAliases) ? ReloadOutcome(applied: ["coap.resources"]) : ReloadOutcome()
    }
}
