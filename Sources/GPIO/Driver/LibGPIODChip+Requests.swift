internal import CGPIOD
import Glibc
import PerchCore

extension LibGPIODChip {
    /// Requests the line as an output whose first value is part of the
    /// request, so the line never shows its old level for a moment.
    public func requestOutput(_ request: GPIOLineRequest, initiallyActive: Bool) throws(GPIOError) -> any GPIOOutputLine {
        let id = try withHandles { (handles: inout Handles) throws(GPIOError) -> UInt64 in
            let offset = try self.offset(request.offset)
            // The value is logical: with active_low the kernel drives it inverted.
            guard let line = perch_gpiod_request_output(handles.chip, offset, request.consumer, request.activeLow, initiallyActive) else {
                let code = errno
                throw lineError(code, offset: request.offset, detail: Self.requestFailureDetail(errno: code, apiMajor: Self.apiMajor))
            }
            return Self.hold(line, in: &handles)
        }
        return LibGPIODOutputLine(chip: self, id: id, offset: request.offset)
    }

    /// Requests the line for events on both edges with `bias`, and watches
    /// its event file descriptor on `queue`. The pins debounce in software,
    /// the same on libgpiod 1.6 and 2.x, so the kernel is asked for none.
    public func requestInput(
        _ request: GPIOLineRequest,
        bias: PinBias,
        onEdge: @escaping @Sendable () -> Void
    ) throws(GPIOError) -> any GPIOInputLine {
        try requestInput(request, bias: bias, kernelDebounce: .zero, onEdge: onEdge)
    }

    /// Requests the line for events on both edges with `bias`, debounced by
    /// the kernel for `kernelDebounce` where it can (libgpiod 2.x,
    /// `hasKernelDebounce`; with 1.6 anything but zero fails).
    func requestInput(
        _ request: GPIOLineRequest,
        bias: PinBias,
        kernelDebounce: Duration,
        onEdge: @escaping @Sendable () -> Void
    ) throws(GPIOError) -> any GPIOInputLine {
        let debounce = Self.microseconds(kernelDebounce)
        let (id, fileDescriptor) = try withHandles { (handles: inout Handles) throws(GPIOError) -> (UInt64, Int32) in
            let offset = try self.offset(request.offset)
            // The event descriptor comes back non-blocking, so that draining
            // the queue ends instead of blocking the chip's queue.
            guard let line = perch_gpiod_request_input(
                handles.chip, offset, request.consumer, request.activeLow, Self.bias(bias), debounce
            ) else {
                let code = errno
                let detail = Self.requestFailureDetail(
                    errno: code, bias: bias, kernelDebounce: debounce != 0, apiMajor: Self.apiMajor
                )
                throw lineError(code, offset: request.offset, detail: detail)
            }
            return (Self.hold(line, in: &handles), perch_gpiod_line_event_fd(line))
        }
        let watch = LibGPIODEdgeWatch(chip: self, id: id, offset: request.offset)
        watch.start(fileDescriptor: fileDescriptor, onEdge: onEdge)
        return LibGPIODInputLine(watch: watch)
    }

    /// The C API's bias for `bias`; `.asIs` leaves the line's bias as it is.
    static func bias(_ bias: PinBias) -> perch_gpiod_bias {
        switch bias {
        case .asIs: PERCH_GPIOD_BIAS_AS_IS
        case .disabled: PERCH_GPIOD_BIAS_DISABLED
        case .pullUp: PERCH_GPIOD_BIAS_PULL_UP
        case .pullDown: PERCH_GPIOD_BIAS_PULL_DOWN
        }
    }

    /// `duration` in whole microseconds for the kernel's debounce period:
    /// nothing below zero, and at most what its `u32` holds (about 71 minutes).
    static func microseconds(_ duration: Duration) -> UInt32 {
        guard duration > .zero else { return 0 }
        guard duration < .microseconds(Int64(UInt32.max)) else { return UInt32.max }
        let (seconds, attoseconds) = duration.components
        // Below 4,295 s here, so neither product nor sum can overflow.
        return UInt32(clamping: seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    /// What a failed request's `errno` may mean beyond its text, by libgpiod
    /// version: the kernel interface each needs is the usual reason.
    static func requestFailureDetail(
        errno code: Int32,
        bias: PinBias = .asIs,
        kernelDebounce: Bool = false,
        apiMajor: Int
    ) -> String? {
        switch (apiMajor, code) {
        case (1, EINVAL) where bias != .asIs:
            // Bias flags reached the kernel's v1 interface in Linux 5.5.
            "the kernel may not support bias (Linux 5.5 or later does)"
        case (1, EOPNOTSUPP) where kernelDebounce:
            "libgpiod 1.6 has no debounce in the kernel (libgpiod 2 does)"
        case (2, ENOTTY):
            // An unknown ioctl: the kernel predates the GPIO uAPI v2.
            "libgpiod 2 needs the kernel's GPIO interface v2 (Linux 5.10 or later)"
        default:
            nil
        }
    }

    /// `offset` as the C API takes it; one outside the chip is
    /// `.lineNotFound` rather than the EINVAL libgpiod would give.
    private func offset(_ offset: Int) throws(GPIOError) -> UInt32 {
        guard offset >= 0, offset < info.lineCount, let index = UInt32(exactly: offset) else {
            throw GPIOError(.lineNotFound, chip: descriptor, line: String(offset))
        }
        return index
    }

    /// Keeps a granted request under a new id.
    private static func hold(_ line: OpaquePointer, in handles: inout Handles) -> UInt64 {
        let id = handles.nextID
        handles.nextID += 1
        handles.lines[id] = line
        return id
    }
}
