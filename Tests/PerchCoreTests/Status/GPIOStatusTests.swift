import Foundation
import PerchCore
import Testing

@Suite("Status JSON: gpio and gpio_info (SPEC §7)")
struct GPIOStatusTests {
    static func document(_ gpio: GPIOStatus?) throws -> [String: Any] {
        let text = StatusReport(state: .online, gateway: "gw", version: "0.1.0", uptimeSeconds: 1, gpio: gpio).jsonText()
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("gpio is SPEC §7's pin map of ON/OFF; gpio_info holds chip, error (null) and refused")
    func fields() throws {
        let document = try Self.document(GPIOStatus(
            pins: ["relay1": true, "door": false], chip: "gpiochip0 [pinctrl-bcm2711] (58 lines)", refused: 3))
        let pins = try #require(document["gpio"] as? [String: String])
        #expect(pins == ["relay1": "ON", "door": "OFF"])
        let info = try #require(document["gpio_info"] as? [String: Any])
        #expect(info["chip"] as? String == "gpiochip0 [pinctrl-bcm2711] (58 lines)")
        #expect(info["error"] is NSNull)
        #expect(info["refused"] as? Int == 3)
        #expect(info.count == 3)
    }

    @Test("no chip: chip is null and the error is shown; the pin map is empty, not absent")
    func failedChip() throws {
        let document = try Self.document(GPIOStatus(error: "no GPIO chip gpiochip0: No such file or directory"))
        #expect(document["gpio"] as? [String: String] == [:])
        let info = try #require(document["gpio_info"] as? [String: Any])
        #expect(info["chip"] is NSNull)
        #expect(info["error"] as? String == "no GPIO chip gpiochip0: No such file or directory")
        #expect(info["refused"] as? Int == 0)
    }

    @Test("pins named chip or error stay in the pin map, apart from gpio_info")
    func pinNamesDoNotCollide() throws {
        let document = try Self.document(GPIOStatus(pins: ["chip": true, "error": false], chip: "simulated [perch-simulated] (54 lines)"))
        #expect(document["gpio"] as? [String: String] == ["chip": "ON", "error": "OFF"])
        let info = try #require(document["gpio_info"] as? [String: Any])
        #expect(info["chip"] as? String == "simulated [perch-simulated] (54 lines)")
    }

    @Test("both sections are absent when GPIO is off")
    func absent() throws {
        let document = try Self.document(nil)
        #expect(document["gpio"] == nil)
        #expect(document["gpio_info"] == nil)
    }

    @Test("the exact text, slashes unescaped, keys sorted")
    func exactText() {
        let report = StatusReport(
            state: .online, gateway: "gw", version: "0.1.0", uptimeSeconds: 1,
            gpio: GPIOStatus(pins: ["relay1": true, "door": false], chip: "gpiochip4 [pinctrl-rp1] (54 lines) /dev/gpiochip4"))
        #expect(report.jsonText() == #"{"gateway":"gw","gpio":{"door":"OFF","relay1":"ON"},"gpio_info":{"chip":"gpiochip4 [pinctrl-rp1] (54 lines) /dev/gpiochip4","error":null,"refused":0},"state":"online","uptime_s":1,"version":"0.1.0"}"#)
    }
}
