import PerchConfig
import PerchCore

/// `status.interval`, live: the reporter's timer is replaced at once.
struct StatusIntervalReload: ReloadablePart {
    let control: StatusReporterControl
    var reloadName: String { "status" }

    func apply(_ new: PerchConfiguration, replacing old: PerchConfiguration) async -> ReloadOutcome {
        guard new.status.interval != old.status.interval else { return ReloadOutcome() }
        control.setInterval(new.status.interval)
        return ReloadOutcome(applied: ["status.interval"])
    }
}
