import Logging
import PerchConfig

/// `log.level`, live: every logger follows the shared control.
struct LogLevelReload: ReloadablePart {
    let control: LogLevelControl
    var reloadName: String { "log" }

    func apply(_ new: PerchConfiguration, replacing old: PerchConfiguration) async -> ReloadOutcome {
        guard new.log.level != old.log.level else { return ReloadOutcome() }
        control.level = Logger.Level(new.log.level)
        return ReloadOutcome(applied: ["log.level"])
    }
}
