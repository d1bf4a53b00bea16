import GPIO
import PerchConfig

/// `gpio.pins`, live (`GPIOService.reconfigure`): unchanged pins keep their
/// line requests and levels; pins gone go to their `on_exit` state.
struct GPIOPinsReload: ReloadablePart {
    let service: GPIOService
    var reloadName: String { "gpio" }

    func apply(_ new: PerchConfiguration, replacing old: PerchConfiguration) async -> ReloadOutcome {
        let pins = new.gpio?.pins ?? []
        guard pins != (old.gpio?.pins ?? []) else { return ReloadOutcome() }
        return await service.reconfigure(pins: pins) ? ReloadOutcome(applied: ["gpio.pins"]) : ReloadOutcome()
    }
}
