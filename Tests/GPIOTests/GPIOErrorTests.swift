import GPIO
import Glibc
import Testing

@Suite struct GPIOErrorTests {
    @Test func permissionDeniedNamesTheChipAndTheGroup() {
        let error = GPIOError(.permissionDenied, chip: "gpiochip0", errno: EACCES)
        #expect(error.description.contains("gpiochip0"))
        #expect(error.description.contains("group gpio"))
        #expect(error.description.contains("Permission denied"))
    }

    @Test func missingLineNamesTheLine() {
        let error = GPIOError(.lineNotFound, chip: "pinctrl-rp1", line: "GPIO99")
        #expect(error.description.contains("GPIO99"))
        #expect(error.description.contains("pinctrl-rp1"))
    }
}
