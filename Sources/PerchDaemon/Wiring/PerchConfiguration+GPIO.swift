import GPIO
import PerchConfig
import PerchCore

extension PerchConfiguration {
    /// The pins' settings from the `gpio:` section (SPEC §6); `nil` when the
    /// section is absent or lists no pin, so nothing is opened.
    func makeGPIOServiceConfiguration() -> GPIOService.Configuration? {
        guard let gpio, !gpio.pins.isEmpty else { return nil }
        // SPEC §2: perch/${gateway}/gpio/{name}/set and …/state. The gateway id
        // is one topic level (the loader checked it), and the mountpoint is
        // not applied: these are the gateway's own topics, like its status.
        let topicPrefix = "perch/\(gateway.id)/gpio"
        return GPIOService.Configuration(
            chip: gpio.chip,
            pins: gpio.pins,
            topicPrefix: topicPrefix,
            stateFilePath: gateway.stateDirectory + "/gpio-state.json",
            homeAssistant: gpio.homeAssistant.flatMap { homeAssistant in
                guard homeAssistant.discovery else { return nil }
                return HomeAssistantDiscovery(
                    prefix: homeAssistant.prefix,
                    gateway: gateway.id,
                    statusTopic: status.topic,
                    gpioTopicPrefix: topicPrefix,
                    version: PerchVersion.current
                )
            }
        )
    }

    /// `{state_dir}/gpio-simulated`: the FIFO that drives a simulated chip's
    /// inputs from outside the process (Docs/gpio.md).
    var simulatedGPIOControlPath: String { gateway.stateDirectory + "/gpio-simulated" }
}
