internal import CGPIOD
import Dispatch
import Glibc
import PerchCore
import Synchronization

/// A GPIO chip driven through libgpiod, opened by name, path or label with
/// `LibGPIODChip.open(_:)`: libgpiod 1.6 (Debian and Raspberry Pi OS
/// bookworm) or 2.x (trixie), whichever the build found, through the one C
/// API of `CGPIOD` (Docs/gpio.md, "libgpiod 1.6 and 2.x").
///
/// libgpiod is not thread-safe per chip (1.x) or per object (2.x): every call
/// that touches the chip or one of its lines is made under `handles`, the lock
/// that owns the C handles. Input lines' read sources fire on `queue`, one
/// serial queue per chip, so a line's edges are handled one batch at a time.
///
/// Lines keep their chip alive, and the chip closes its handle in `deinit`
/// after releasing any line still requested, as `gpiod_chip_close` would.
public final class LibGPIODChip: GPIOChip {
    /// What the chip says about itself.
    public let info: GPIOChipInfo
    /// The chip as configured (`gpiochip0`, a path or a label), for errors.
    let descriptor: String
    /// Where input lines' read sources and their cancel handlers run.
    let queue: DispatchQueue
    /// The thread running a handler on `queue`, while one runs, so that a
    /// release called from an edge callback does not wait for a cancel
    /// handler that can only run after it returns. A thread, not a
    /// `DispatchSpecificKey`, which Swift 6.0's Dispatch does not make
    /// `Sendable`; the queue is serial, so one thread at a time is enough.
    private let queueThread = Mutex<pthread_t?>(nil)
    /// The chip handle and the requested lines, by request id; every line
    /// is released before the chip is closed.
    private let handles: Mutex<Handles>

    /// The C handles, only ever touched under the lock.
    struct Handles {
        /// `perch_gpiod_chip *`.
        let chip: OpaquePointer
        /// `perch_gpiod_line *` of each request still held, by request id.
        /// An id, not the offset, so that a line released and requested
        /// again is never driven through a stale `GPIOOutputLine`.
        var lines: [UInt64: OpaquePointer] = [:]
        /// The next request id.
        var nextID: UInt64 = 0
    }

    /// Takes ownership of `handle`, a chip just opened at `path`.
    init(handle: sending OpaquePointer, path: String, descriptor: String) {
        // Name and label live as long as the chip (perch_gpiod.h), never NULL.
        let name = String(cString: perch_gpiod_chip_name(handle))
        let label = String(cString: perch_gpiod_chip_label(handle))
        let lineCount = Int(perch_gpiod_chip_line_count(handle))
        info = GPIOChipInfo(name: name, label: label, path: path, lineCount: lineCount)
        self.descriptor = descriptor
        queue = DispatchQueue(label: "perch.gpio.\(name)")
        handles = Mutex(Handles(chip: handle))
    }

    deinit {
        handles.withLock { handles in
            for line in handles.lines.values {
                perch_gpiod_line_release(line)
            }
            handles.lines.removeAll()
            perch_gpiod_chip_close(handles.chip)
        }
    }

    /// The libgpiod major version the driver was built for: 1 (1.6, bookworm)
    /// or 2 (2.x, trixie), from the `<gpiod.h>` that pkg-config found.
    public static var apiMajor: Int { Int(perch_gpiod_api_major()) }

    /// The version of the libgpiod library linked in, such as `1.6.3` or `2.2.1`.
    public static var libraryVersion: String { String(cString: perch_gpiod_library_version()) }

    /// Whether the kernel can debounce an input for the driver (libgpiod 2.x).
    static var hasKernelDebounce: Bool { perch_gpiod_has_kernel_debounce() }

    /// The offset of the line called `name`, by the names the kernel gives
    /// (`GPIO17` on a Pi 4 and a Pi 5 alike).
    public func lineOffset(named name: String) -> Int? {
        handles.withLock { handles -> Int? in
            // -1 (ENOENT) when no line has the name.
            let offset = perch_gpiod_chip_find_line(handles.chip, name)
            return offset < 0 ? nil : Int(offset)
        }
    }

    /// Whether the caller runs on `queue`, where waiting for a read source's
    /// cancel handler would wait forever.
    var isOnQueue: Bool {
        let current = pthread_self()
        return queueThread.withLock { thread in thread.map { pthread_equal($0, current) != 0 } ?? false }
    }

    /// Runs `body`, a handler on `queue`, marking the thread as the queue's.
    func runOnQueue(_ body: () -> Void) {
        let current = pthread_self()
        queueThread.withLock { $0 = current }
        defer { queueThread.withLock { $0 = nil } }
        body()
    }

    /// Runs `body` with the chip handle and the line structs under the lock.
    func withHandles<Result: Sendable, Failure: Error>(
        _ body: (inout Handles) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try handles.withLock { (handles: inout sending Handles) throws(Failure) -> Result in
            try body(&handles)
        }
    }

    /// The error for `code`, the `errno` of a failed call about the line at `offset`.
    func lineError(_ code: Int32, offset: Int, detail: String? = nil) -> GPIOError {
        GPIOError(GPIOChipLookup.kind(forErrno: code), chip: descriptor, line: String(offset), errno: code, detail: detail)
    }
}
