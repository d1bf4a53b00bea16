internal import CGPIOD
import Glibc

/// What one drain of a line's event queue gave.
enum LibGPIODEdgeRead: Sendable, Equatable {
    /// This many edges were read (0 after a spurious wake-up).
    case edges(Int)
    /// Reading failed with this `errno`: the chip is gone or the line released.
    case failed(Int32)
}

extension LibGPIODChip {
    /// Drives the requested line `id` (at `offset`) to `active`, logically.
    func setActive(_ active: Bool, line id: UInt64, offset: Int) throws(GPIOError) {
        try withHandles { (handles: inout Handles) throws(GPIOError) in
            let line = try requested(id, offset: offset, in: handles)
            guard perch_gpiod_line_set_value(line, active) == 0 else {
                throw lineError(errno, offset: offset)
            }
        }
    }

    /// Reads the requested line `id` (at `offset`), logically.
    func isActive(line id: UInt64, offset: Int) throws(GPIOError) -> Bool {
        try withHandles { (handles: inout Handles) throws(GPIOError) -> Bool in
            let line = try requested(id, offset: offset, in: handles)
            let value = perch_gpiod_line_get_value(line)
            guard value >= 0 else {
                throw lineError(errno, offset: offset)
            }
            return value == 1
        }
    }

    /// Gives the line of request `id` back to the kernel; again is a no-op.
    func releaseLine(_ id: UInt64) {
        withHandles { (handles: inout Handles) -> Void in
            if let line = handles.lines.removeValue(forKey: id) {
                perch_gpiod_line_release(line)
            }
        }
    }

    /// Reads every event queued on the input line `id`. The kernel queues at
    /// most 16 per line (1.x; 2.x the same by default), so one read usually
    /// drains it; the loop is bounded in case edges keep arriving while it reads.
    func readEdges(line id: UInt64) -> LibGPIODEdgeRead {
        withHandles { (handles: inout Handles) -> LibGPIODEdgeRead in
            guard let line = handles.lines[id] else { return .failed(EBADF) }
            var total = 0
            for _ in 0..<Self.maximumReadsPerWakeUp {
                // 0 when the queue is empty (the descriptor is non-blocking).
                let count = Int(perch_gpiod_line_read_events(line))
                if count < 0 {
                    return .failed(errno)
                }
                total += count
                if count < Int(PERCH_GPIOD_EVENT_BATCH) { break }
            }
            return .edges(total)
        }
    }

    /// Reads per wake-up before the queue gives other lines their turn.
    private static var maximumReadsPerWakeUp: Int { 8 }

    /// The line of request `id`, or an error if it was released.
    private func requested(_ id: UInt64, offset: Int, in handles: Handles) throws(GPIOError) -> OpaquePointer {
        guard let line = handles.lines[id] else {
            throw GPIOError(.failed, chip: descriptor, line: String(offset), detail: "the line was released")
        }
        return line
    }
}
