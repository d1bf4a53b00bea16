import PerchConfig
import Spool

/// The `spool` section, live (`SpoolQueue.apply`): nothing held is lost
/// except by the new bounds' own rules, counted as any drop.
struct SpoolPolicyReload: ReloadablePart {
    let spool: Spool
    var reloadName: String { "spool" }

    func apply(_ new: PerchConfiguration, replacing old: PerchConfiguration) async -> ReloadOutcome {
        var applied: [String] = []
        func check<Value: Equatable>(_ key: String, _ value: (SpoolConfiguration) -> Value) {
            if value(old.spool) != value(new.spool) { applied.append(key) }
        }
        check("spool.max_bytes") { $0.maxBytes }
        check("spool.max_age") { $0.maxAge }
        check("spool.buffer_qos0") { $0.bufferQoS0 }
        check("spool.overflow") { $0.overflow }
        check("spool.commit_interval") { $0.commitInterval }
        guard !applied.isEmpty else { return ReloadOutcome() }
        await spool.apply(new.makeSpoolPolicy())
        return ReloadOutcome(applied: applied)
    }
}
