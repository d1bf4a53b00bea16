/// What the pin logic (`GPIOController`) asks its runtime to do, in order. The
/// pin logic does no I/O; the runtime carries these out against a `GPIOChip`
/// and reports back.
public enum GPIOAction: Sendable, Hashable {
    /// Set the output `pin` (`true` is ON), read it back, and report the
    /// read-back level with `GPIOController.outputDriven(pin:readBack:now:actions:)`.
    case drive(pin: String, active: Bool)
    /// Read the input `pin` and report the level with
    /// `GPIOController.inputRead(pin:active:now:actions:)`.
    case read(pin: String)
    /// Publish `ON` / `OFF`, retained, on `perch/{gateway}/gpio/{pin}/state` (SPEC §2, §6).
    case publishState(pin: String, active: Bool)
    /// Remember `active` as the commanded state of `pin` in the state directory,
    /// for `initial: restore` at the next start.
    case saveState(pin: String, active: Bool)
    /// A command for `pin` was refused (already counted in `refusedCount`).
    /// `log` is `true` for the first refusal of a burst of that kind: log it
    /// then, and stay quiet for the rest of the burst.
    case refuse(pin: String, reason: GPIORefusal, log: Bool)
}
