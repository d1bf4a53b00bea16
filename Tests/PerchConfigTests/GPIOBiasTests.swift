import PerchConfig
import PerchCore
import Testing

@Suite struct GPIOBiasTests {
    @Test("bias: disable as libgpiod spells it, disabled read as the same", arguments: ["disable", "disabled"])
    func disableSpellings(spelling: String) throws {
        let yaml = """
            uplink: { url: "mqtt://127.0.0.1" }
            gpio:
              chip: simulated
              pins: [{ name: door, line: GPIO27, direction: input, bias: \(spelling) }]
            """
        let loaded = try ConfigurationLoader.deterministic().load(yaml: yaml, fileName: "perch.yaml")
        #expect(loaded.configuration.gpio?.pins.first?.bias == .disabled)
    }
}
