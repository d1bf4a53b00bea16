import Logging

/// Opens the chip `gpio.chip` names: the simulated one for `simulated`, else
/// the libgpiod driver's (1.6 or 2.x) by name, path or label.
public enum GPIOChips {
    /// The descriptor that selects the simulated chip.
    public static let simulated = "simulated"

    /// Opens `descriptor`. A simulated chip takes its inputs from the FIFO at
    /// `simulatedControlPath` (Docs/gpio.md).
    public static func open(_ descriptor: String, simulatedControlPath: String?, logger: Logger) throws(GPIOError) -> any GPIOChip {
        if descriptor == simulated {
            return try SimulatedChip(controlPath: simulatedControlPath, logger: logger)
        }
        return try LibGPIODChip.open(descriptor)
    }
}
