internal import CGPIOD
import Foundation
import Glibc

extension LibGPIODChip {
    /// Opens the chip `descriptor` names: a kernel name (`gpiochip0`), a path
    /// (`/dev/gpiochip4`), or a label (`pinctrl-bcm2711` on a Pi 4,
    /// `pinctrl-rp1` on a Pi 5), which is what makes one configuration file
    /// work whatever number the kernel gave the chip.
    ///
    /// A chip that is not there fails with `.chipNotFound` listing the chips
    /// that are; one this user may not open with `.permissionDenied`.
    public static func open(_ descriptor: String) throws(GPIOError) -> LibGPIODChip {
        try open(descriptor, deviceDirectory: "/dev")
    }

    /// Opens the chip `descriptor` names, looking for names and labels in
    /// `deviceDirectory` (tests give another one).
    static func open(_ descriptor: String, deviceDirectory: String) throws(GPIOError) -> LibGPIODChip {
        switch GPIOChipLookup.classify(descriptor) {
        case let .path(path):
            try openDevice(at: path, descriptor: descriptor, deviceDirectory: deviceDirectory)
        case let .name(name):
            try openDevice(at: deviceDirectory + "/" + name, descriptor: descriptor, deviceDirectory: deviceDirectory)
        case let .label(label):
            try openLabelled(label, deviceDirectory: deviceDirectory)
        }
    }

    private static func openDevice(at path: String, descriptor: String, deviceDirectory: String) throws(GPIOError) -> LibGPIODChip {
        guard let handle = perch_gpiod_chip_open(path) else {
            let code = errno
            if GPIOChipLookup.isNotAChip(errno: code) {
                throw GPIOError(.chipNotFound, chip: descriptor, detail: "\(path) is not a GPIO chip")
            }
            let kind = GPIOChipLookup.kind(forErrno: code)
            var detail: String?
            if kind == .chipNotFound {
                let survey = survey(deviceDirectory, lookingFor: nil)
                detail = GPIOChipLookup.foundSummary(survey.candidates, directory: deviceDirectory)
            }
            throw GPIOError(kind, chip: descriptor, errno: code, detail: detail)
        }
        return LibGPIODChip(handle: handle, path: path, descriptor: descriptor)
    }

    /// Opens every chip in turn, since libgpiod's own label lookup cannot
    /// say which chips it saw.
    private static func openLabelled(_ label: String, deviceDirectory: String) throws(GPIOError) -> LibGPIODChip {
        let survey = survey(deviceDirectory, lookingFor: label)
        guard let match = survey.match else {
            throw GPIOChipLookup.labelNotFound(label, candidates: survey.candidates, directory: deviceDirectory)
        }
        return LibGPIODChip(handle: match.handle, path: match.path, descriptor: label)
    }

    /// The chips in a directory, and the first one labelled as asked.
    private struct Survey {
        /// Every chip opened before the match, or all of them.
        var candidates: [GPIOChipLookup.Candidate] = []
        /// The chip labelled as asked, still open.
        var match: (handle: OpaquePointer, path: String)?
    }

    /// Opens the chips of `directory` in numeric order; stops at the first
    /// labelled `label` and keeps it open, closes every other one.
    private static func survey(_ directory: String, lookingFor label: String?) -> Survey {
        var survey = Survey()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in GPIOChipLookup.chipNames(among: entries) {
            let path = directory + "/" + name
            guard let handle = perch_gpiod_chip_open(path) else {
                survey.candidates.append(.init(name: name, outcome: .failed(errno)))
                continue
            }
            // Never NULL: it lives as long as the chip (perch_gpiod.h).
            let chipLabel = String(cString: perch_gpiod_chip_label(handle))
            if chipLabel == label {
                survey.match = (handle, path)
                return survey
            }
            perch_gpiod_chip_close(handle)
            survey.candidates.append(.init(name: name, outcome: .label(chipLabel)))
        }
        return survey
    }
}
