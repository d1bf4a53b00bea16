import Foundation
@testable import GPIO
import Glibc
import PerchTestKit
import Testing

/// The driver against the real libgpiod, on a machine without a GPIO chip: it
/// is linked and called, and every way of not finding a chip says so clearly.
@Suite struct LibGPIODChipTests {
    /// Whether `/dev` has no GPIO chip, as on the build machines (on a Pi,
    /// `gpiochip0` would open and these tests would not apply).
    static var machineHasNoChip: Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
        return GPIOChipLookup.chipNames(among: entries).isEmpty
    }

    static var isRoot: Bool { getuid() == 0 }

    @Test(.enabled(if: machineHasNoChip, "this machine has a GPIO chip"))
    func missingChipByName() throws {
        let error = try #require(thrownError(GPIOError.self) { try LibGPIODChip.open("gpiochip0") })
        #expect(error.kind == .chipNotFound)
        #expect(error.errno == ENOENT)
        #expect(error.description.contains("no GPIO chip gpiochip0"))
        #expect(error.description.contains("found no GPIO chip in /dev"))
    }

    @Test(.enabled(if: machineHasNoChip, "this machine has a GPIO chip"))
    func missingChipByPath() throws {
        let error = try #require(thrownError(GPIOError.self) { try LibGPIODChip.open("/dev/gpiochip0") })
        #expect(error.kind == .chipNotFound)
        #expect(error.description.contains("no GPIO chip /dev/gpiochip0"))
    }

    @Test(.enabled(if: machineHasNoChip, "this machine has a GPIO chip"), arguments: ["pinctrl-bcm2711", "pinctrl-rp1"])
    func missingChipByLabel(label: String) throws {
        let error = try #require(thrownError(GPIOError.self) { try LibGPIODChip.open(label) })
        #expect(error.kind == .chipNotFound)
        #expect(error.chip == label)
        #expect(error.description.contains("no chip is labelled \(label); found no GPIO chip in /dev"))
    }

    @Test func deviceThatIsNoChip() throws {
        let error = try #require(thrownError(GPIOError.self) { try LibGPIODChip.open("/dev/null") })
        #expect(error.kind == .chipNotFound)
        #expect(error.description.contains("/dev/null is not a GPIO chip"))
    }

    @Test func fileAndDirectoryThatAreNoChip() throws {
        let directory = try LibGPIODTemporaryDirectory()
        let file = try directory.file("gpiochip0")
        for path in [file, directory.path] {
            let error = try #require(thrownError(GPIOError.self) { try LibGPIODChip.open(path) })
            #expect(error.kind == .chipNotFound)
            #expect(error.description.contains("\(path) is not a GPIO chip"))
        }
    }

    @Test func labelLookupListsWhatItFound() throws {
        let directory = try LibGPIODTemporaryDirectory()
        for name in ["gpiochip10", "gpiochip2", "gpiochip0", "gpiomem", "null"] {
            _ = try directory.file(name)
        }
        let error = try #require(thrownError(GPIOError.self) {
            try LibGPIODChip.open("pinctrl-rp1", deviceDirectory: directory.path)
        })
        #expect(error.kind == .chipNotFound)
        #expect(error.description.contains(
            "no chip is labelled pinctrl-rp1; found gpiochip0 (not a GPIO chip), gpiochip2 (not a GPIO chip), gpiochip10 (not a GPIO chip)"
        ))
    }

    @Test func nameIsLookedUpInTheDeviceDirectory() throws {
        let directory = try LibGPIODTemporaryDirectory()
        _ = try directory.file("gpiochip3")
        let error = try #require(thrownError(GPIOError.self) {
            try LibGPIODChip.open("gpiochip4", deviceDirectory: directory.path)
        })
        #expect(error.kind == .chipNotFound)
        #expect(error.errno == ENOENT)
        #expect(error.description.contains("found gpiochip3 (not a GPIO chip)"))
    }

    @Test(.enabled(if: !isRoot, "root may open a file of mode 000"))
    func chipWithoutPermission() throws {
        let directory = try LibGPIODTemporaryDirectory()
        let path = try directory.file("gpiochip0", mode: 0o000)
        let error = try #require(thrownError(GPIOError.self) { try LibGPIODChip.open(path) })
        #expect(error.kind == .permissionDenied)
        #expect(error.errno == EACCES)
        #expect(error.description.contains("group gpio"))

        let byLabel = try #require(thrownError(GPIOError.self) {
            try LibGPIODChip.open("pinctrl-bcm2711", deviceDirectory: directory.path)
        })
        #expect(byLabel.kind == .permissionDenied)
        #expect(byLabel.description.contains("gpiochip0 (Permission denied)"))
    }
}

/// A directory of its own under the system's temporary directory, removed
/// when the value goes away.
final class LibGPIODTemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("perch-gpio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        path = url.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Creates an empty file called `name` with `mode`, and returns its path.
    func file(_ name: String, mode: Int = 0o644) throws -> String {
        let path = path + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return path
    }
}
