internal import CLibGPIOD
import Glibc
import PerchCore

extension LibGPIODChip {
    /// Requests the line as an output whose first value is part of the
    /// request, so the line never shows its old level for a moment.
    public func requestOutput(_ request: GPIOLineRequest, initiallyActive: Bool) throws(GPIOError) -> any GPIOOutputLine {
        let flags = request.activeLow ? Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) : 0
        let id = try withHandles { (handles: inout Handles) throws(GPIOError) -> UInt64 in
            let line = try self.line(at: request.offset, of: handles)
            // The value is logical: with ACTIVE_LOW the kernel drives it inverted.
            guard gpiod_line_request_output_flags(line, request.consumer, flags, initiallyActive ? 1 : 0) == 0 else {
                throw lineError(errno, offset: request.offset)
            }
            return Self.hold(line, in: &handles)
        }
        return LibGPIODOutputLine(chip: self, id: id, offset: request.offset)
    }

    /// Requests the line for events on both edges with `bias`, and watches
    /// its event file descriptor on `queue`.
    public func requestInput(
        _ request: GPIOLineRequest,
        bias: PinBias,
        onEdge: @escaping @Sendable () -> Void
    ) throws(GPIOError) -> any GPIOInputLine {
        let flags = Self.biasFlags(bias) | (request.activeLow ? Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) : 0)
        let (id, fileDescriptor) = try withHandles { (handles: inout Handles) throws(GPIOError) -> (UInt64, Int32) in
            let line = try self.line(at: request.offset, of: handles)
            guard gpiod_line_request_both_edges_events_flags(line, request.consumer, flags) == 0 else {
                let code = errno
                // Bias flags reached the kernel's v1 interface in Linux 5.5.
                let detail = code == EINVAL && bias != .asIs ? "the kernel may not support bias (Linux 5.5 or later does)" : nil
                throw lineError(code, offset: request.offset, detail: detail)
            }
            let fileDescriptor = gpiod_line_event_get_fd(line)
            // Non-blocking, so that draining the queue of events ends with
            // EAGAIN instead of blocking the chip's queue on an empty read.
            let status = fileDescriptor < 0 ? fileDescriptor : fcntl(fileDescriptor, F_SETFL, fcntl(fileDescriptor, F_GETFL) | O_NONBLOCK)
            guard status >= 0 else {
                let code = errno
                gpiod_line_release(line)
                throw lineError(code, offset: request.offset)
            }
            return (Self.hold(line, in: &handles), fileDescriptor)
        }
        let watch = LibGPIODEdgeWatch(chip: self, id: id, offset: request.offset)
        watch.start(fileDescriptor: fileDescriptor, onEdge: onEdge)
        return LibGPIODInputLine(watch: watch)
    }

    /// The request flags for `bias` (libgpiod 1.5 and later); `.asIs`
    /// leaves the line's bias as it is.
    static func biasFlags(_ bias: PinBias) -> Int32 {
        switch bias {
        case .asIs: 0
        case .disabled: Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
        case .pullUp: Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
        case .pullDown: Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
        }
    }

    /// The chip's line struct at `offset`; an offset outside the chip is
    /// `.lineNotFound` rather than the EINVAL libgpiod would give.
    private func line(at offset: Int, of handles: Handles) throws(GPIOError) -> OpaquePointer {
        guard offset >= 0, offset < info.lineCount, let index = UInt32(exactly: offset) else {
            throw GPIOError(.lineNotFound, chip: descriptor, line: String(offset))
        }
        guard let line = gpiod_chip_get_line(handles.chip, index) else {
            throw lineError(errno, offset: offset)
        }
        return line
    }

    /// Keeps a granted request under a new id.
    private static func hold(_ line: OpaquePointer, in handles: inout Handles) -> UInt64 {
        let id = handles.nextID
        handles.nextID += 1
        handles.lines[id] = line
        return id
    }
}
