@testable import GPIO
import Glibc
import PerchCore
import Testing

@Suite struct LibGPIODChipLookupTests {
    @Test(arguments: [
        ("gpiochip0", GPIOChipLookup.Descriptor.name("gpiochip0")),
        ("gpiochip12", .name("gpiochip12")),
        ("/dev/gpiochip4", .path("/dev/gpiochip4")),
        ("./gpiochip0", .path("./gpiochip0")),
        ("../dev/gpiochip0", .path("../dev/gpiochip0")),
        ("pinctrl-bcm2711", .label("pinctrl-bcm2711")),
        ("pinctrl-rp1", .label("pinctrl-rp1")),
        ("gpiochip", .label("gpiochip")),
        ("gpiochipA", .label("gpiochipA")),
        ("gpiochip0x", .label("gpiochip0x")),
        ("gpiochip-٣", .label("gpiochip-٣")),
        ("soc/gpio@7e200000", .label("soc/gpio@7e200000")),
    ])
    func classifiesByNamePathAndLabel(descriptor: String, expected: GPIOChipLookup.Descriptor) {
        #expect(GPIOChipLookup.classify(descriptor) == expected)
    }

    @Test func nonASCIIDigitsAreNoChipNumber() {
        // Arabic-Indic three: Character.isNumber, but no kernel name.
        #expect(!GPIOChipLookup.isChipName("gpiochip٣"))
        #expect(GPIOChipLookup.isChipName("gpiochip3"))
    }

    @Test func chipNamesAreFilteredAndInNumericOrder() {
        let entries = ["null", "gpiochip10", "gpiochip2", "tty0", "gpiochip0", "gpiochipX", "gpiomem"]
        #expect(GPIOChipLookup.chipNames(among: entries) == ["gpiochip0", "gpiochip2", "gpiochip10"])
    }

    @Test(arguments: [
        (ENOENT, GPIOError.Kind.chipNotFound),
        (ENODEV, .chipNotFound),
        (EACCES, .permissionDenied),
        (EPERM, .permissionDenied),
        (EBUSY, .lineBusy),
        (EINVAL, .failed),
        (EIO, .failed),
    ])
    func mapsErrno(code: Int32, kind: GPIOError.Kind) {
        #expect(GPIOChipLookup.kind(forErrno: code) == kind)
    }

    @Test func notAChipIsTheErrnoOfAnOrdinaryFileOrDirectory() {
        #expect(GPIOChipLookup.isNotAChip(errno: ENOTTY))
        #expect(GPIOChipLookup.isNotAChip(errno: EISDIR))
        #expect(!GPIOChipLookup.isNotAChip(errno: ENOENT))
        #expect(!GPIOChipLookup.isNotAChip(errno: EACCES))
    }

    @Test func missingLabelListsTheChipsFound() {
        let candidates = [
            GPIOChipLookup.Candidate(name: "gpiochip0", outcome: .label("pinctrl-bcm2711")),
            GPIOChipLookup.Candidate(name: "gpiochip1", outcome: .label("raspberrypi-exp-gpio")),
            GPIOChipLookup.Candidate(name: "gpiochip2", outcome: .failed(ENOTTY)),
        ]
        let error = GPIOChipLookup.labelNotFound("pinctrl-rp1", candidates: candidates, directory: "/dev")
        #expect(error.kind == .chipNotFound)
        #expect(error.chip == "pinctrl-rp1")
        #expect(error.description.contains(
            "no chip is labelled pinctrl-rp1; found gpiochip0 [pinctrl-bcm2711], gpiochip1 [raspberrypi-exp-gpio], gpiochip2 (not a GPIO chip)"
        ))
        #expect(error.description.contains("gpiodetect"))
    }

    @Test func missingLabelWithAChipDeniedIsAboutPermission() {
        let candidates = [
            GPIOChipLookup.Candidate(name: "gpiochip0", outcome: .failed(EACCES)),
            GPIOChipLookup.Candidate(name: "gpiochip1", outcome: .label("raspberrypi-exp-gpio")),
        ]
        let error = GPIOChipLookup.labelNotFound("pinctrl-bcm2711", candidates: candidates, directory: "/dev")
        #expect(error.kind == .permissionDenied)
        #expect(error.errno == EACCES)
        #expect(error.description.contains("gpiochip0 (Permission denied)"))
        #expect(error.description.contains("group gpio"))
    }

    @Test func noChipAtAllIsSaid() {
        let error = GPIOChipLookup.labelNotFound("pinctrl-rp1", candidates: [], directory: "/dev")
        #expect(error.kind == .chipNotFound)
        #expect(error.description.contains("found no GPIO chip in /dev"))
    }

    @Test func eachBiasIsItsOwnRequest() {
        let biases = PinBias.allCases.map { LibGPIODChip.bias($0).rawValue }
        #expect(Set(biases).count == PinBias.allCases.count)
        #expect(LibGPIODChip.bias(.asIs).rawValue == 0)
    }
}
