internal import CLibGPIOD
import Dispatch
import PerchCore
import Synchronization

/// A GPIO chip driven through libgpiod v1.6 (Debian and Raspberry Pi OS
/// bookworm), opened by name, path or label with `LibGPIODChip.open(_:)`.
///
/// libgpiod v1 is not thread-safe per chip: every call that touches the chip
/// or one of its lines is made under `handles`, the lock that owns the C
/// handles. Input lines' read sources fire on `queue`, one serial queue per
/// chip, so a line's edges are handled one batch at a time.
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
    /// Marks `queue`, so that a release called from an edge callback does not
    /// wait for a cancel handler that can only run after it returns.
    private let queueKey = DispatchSpecificKey<Bool>()
    /// The chip handle and the requested lines, by request id; libgpiod
    /// owns the line structs (they live as long as the chip handle).
    private let handles: Mutex<Handles>

    /// The C handles, only ever touched under the lock.
    struct Handles {
        /// `struct gpiod_chip *`.
        let chip: OpaquePointer
        /// `struct gpiod_line *` of each request still held, by request id.
        /// An id, not the offset, so that a line released and requested
        /// again is never driven through a stale `GPIOOutputLine`.
        var lines: [UInt64: OpaquePointer] = [:]
        /// The next request id.
        var nextID: UInt64 = 0
    }

    /// Takes ownership of `handle`, a chip just opened at `path`.
    init(handle: sending OpaquePointer, path: String, descriptor: String) {
        // gpiod_chip_name and gpiod_chip_label point into the chip's own
        // info (filled by the chip-info ioctl when it opened), never NULL.
        let name = String(cString: gpiod_chip_name(handle))
        let label = String(cString: gpiod_chip_label(handle))
        let lineCount = Int(gpiod_chip_num_lines(handle))
        info = GPIOChipInfo(name: name, label: label, path: path, lineCount: lineCount)
        self.descriptor = descriptor
        queue = DispatchQueue(label: "perch.gpio.\(name)")
        queue.setSpecific(key: queueKey, value: true)
        handles = Mutex(Handles(chip: handle))
    }

    deinit {
        handles.withLock { handles in
            for line in handles.lines.values {
                gpiod_line_release(line)
            }
            handles.lines.removeAll()
            gpiod_chip_close(handles.chip)
        }
    }

    /// The offset of the line called `name`, by the names the kernel gives
    /// (`GPIO17` on a Pi 4 and a Pi 5 alike).
    public func lineOffset(named name: String) -> Int? {
        handles.withLock { handles -> Int? in
            // ENOENT when no line has the name; the line struct stays the chip's.
            guard let line = gpiod_chip_find_line(handles.chip, name) else { return nil }
            return Int(gpiod_line_offset(line))
        }
    }

    /// Whether the caller runs on `queue`, where waiting for a read source's
    /// cancel handler would wait forever.
    var isOnQueue: Bool {
        DispatchQueue.getSpecific(key: queueKey) ?? false
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
