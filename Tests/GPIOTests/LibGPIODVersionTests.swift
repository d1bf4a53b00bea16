import Foundation
@testable import GPIO
import Glibc
import Testing

/// Which libgpiod the build chose (Docs/gpio.md, "libgpiod 1.6 and 2.x"), and
/// what differs between the two drivers; meaningful with either one built.
@Suite struct LibGPIODVersionTests {
    @Test func linkedLibraryIsTheVersionOfTheHeaders() {
        #expect(LibGPIODChip.apiMajor == 1 || LibGPIODChip.apiMajor == 2)
        #expect(LibGPIODChip.libraryVersion.hasPrefix("\(LibGPIODChip.apiMajor)."))
    }

    /// The `pkg-config` on the path, if there is one.
    static var pkgConfig: String? {
        ["/usr/bin/pkg-config", "/usr/local/bin/pkg-config"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: pkgConfig != nil, "no pkg-config"))
    func driverIsTheOnePkgConfigFinds() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.pkgConfig))
        process.arguments = ["--modversion", "libgpiod"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let version = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.hasPrefix("\(LibGPIODChip.apiMajor)."))
        #expect(version == LibGPIODChip.libraryVersion)
    }

    @Test func onlyLibgpiod2DebouncesInTheKernel() {
        #expect(LibGPIODChip.hasKernelDebounce == (LibGPIODChip.apiMajor == 2))
    }

    @Test(arguments: [
        (Duration.zero, UInt32(0)),
        (.milliseconds(-5), 0),
        (.nanoseconds(999), 0),
        (.microseconds(1), 1),
        (.milliseconds(50), 50_000),
        (.seconds(2) + .nanoseconds(1_500), 2_000_001),
        (.seconds(4_294), 4_294_000_000),
        (.seconds(4_295), UInt32.max),
        (.seconds(Int64.max), UInt32.max),
    ] as [(Duration, UInt32)])
    func kernelDebounceIsInWholeMicroseconds(duration: Duration, microseconds: UInt32) {
        #expect(LibGPIODChip.microseconds(duration) == microseconds)
    }

    @Test func failedRequestsSayWhatEachVersionNeeds() {
        // libgpiod 1.6: bias needs Linux 5.5, and there is no kernel debounce.
        #expect(LibGPIODChip.requestFailureDetail(errno: EINVAL, bias: .pullUp, apiMajor: 1)?.contains("Linux 5.5") == true)
        #expect(LibGPIODChip.requestFailureDetail(errno: EINVAL, bias: .asIs, apiMajor: 1) == nil)
        #expect(LibGPIODChip.requestFailureDetail(errno: EOPNOTSUPP, kernelDebounce: true, apiMajor: 1)?.contains("no debounce") == true)
        // libgpiod 2: the kernel's uAPI v2 needs Linux 5.10, bias and debounce come with it.
        #expect(LibGPIODChip.requestFailureDetail(errno: ENOTTY, apiMajor: 2)?.contains("Linux 5.10") == true)
        #expect(LibGPIODChip.requestFailureDetail(errno: EINVAL, bias: .pullUp, apiMajor: 2) == nil)
        // Busy and permission speak for themselves on both.
        for major in [1, 2] {
            #expect(LibGPIODChip.requestFailureDetail(errno: EBUSY, apiMajor: major) == nil)
            #expect(LibGPIODChip.requestFailureDetail(errno: EACCES, bias: .pullDown, apiMajor: major) == nil)
        }
    }
}
