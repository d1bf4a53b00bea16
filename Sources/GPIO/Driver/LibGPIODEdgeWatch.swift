import Dispatch
import Synchronization

/// Watches one input request's event file descriptor with a read source on
/// the chip's queue, and releases the request only once the source is done
/// with the descriptor: `perch_gpiod_line_release` closes it, and libdispatch
/// requires a watched descriptor to stay open until the cancel handler runs.
///
/// The source's handlers hold this object until the source is cancelled,
/// which `release()` always does.
final class LibGPIODEdgeWatch: Sendable {
    /// The chip, kept alive while the request is.
    private let chip: LibGPIODChip
    /// The request's id on the chip.
    private let id: UInt64
    /// The line's offset, for errors.
    private let offset: Int
    /// Where the source is in its life.
    private let state = Mutex(State.idle)
    /// Signalled by the cancel handler, for a `release()` that waits for it.
    private let sourceEnded = DispatchSemaphore(value: 0)

    /// Where the source is in its life.
    private enum State {
        /// Not started yet.
        case idle
        /// Watching the descriptor.
        case watching(any DispatchSourceRead)
        /// Cancelled after a read failed; the cancel handler has not run yet.
        case stopping
        /// Cancelled after a read failed; the request is still held.
        case stopped
        /// Cancelled by `release()`; the cancel handler releases the request.
        case releasing
        /// The request is released.
        case released
    }

    /// What `release()` does once it has left the lock.
    private enum ReleaseStep {
        case nothing
        case releaseNow
        case awaitCancelHandler
    }

    /// Wraps request `id` (at `offset`) of `chip`; `start` begins watching.
    init(chip: LibGPIODChip, id: UInt64, offset: Int) {
        self.chip = chip
        self.id = id
        self.offset = offset
    }

    /// Watches `fileDescriptor`, calling `onEdge` once per batch of edges read.
    func start(fileDescriptor: Int32, onEdge: @escaping @Sendable () -> Void) {
        state.withLock { state in
            guard case .idle = state else { return }
            let source = DispatchSource.makeReadSource(fileDescriptor: fileDescriptor, queue: chip.queue)
            source.setEventHandler { self.chip.runOnQueue { self.readEdges(then: onEdge) } }
            source.setCancelHandler { self.chip.runOnQueue { self.sourceCancelled() } }
            state = .watching(source)
            source.resume()
        }
    }

    /// Reads the line, logically.
    func isActive() throws(GPIOError) -> Bool {
        try chip.isActive(line: id, offset: offset)
    }

    /// Stops watching and releases the request; waits for the source's cancel
    /// handler, unless called on the chip's queue (from `onEdge`), where the
    /// handler can only run afterwards and releases the request itself.
    func release() {
        let step = state.withLock { state -> ReleaseStep in
            switch state {
            case let .watching(source):
                source.cancel()
                state = .releasing
                return .awaitCancelHandler
            case .stopping:
                state = .releasing
                return .awaitCancelHandler
            case .idle, .stopped:
                state = .released
                return .releaseNow
            case .releasing, .released:
                return .nothing
            }
        }
        switch step {
        case .nothing:
            break
        case .releaseNow:
            chip.releaseLine(id)
        case .awaitCancelHandler:
            if !chip.isOnQueue {
                sourceEnded.wait()
            }
        }
    }

    /// On the chip's queue: the descriptor is readable.
    private func readEdges(then onEdge: @Sendable () -> Void) {
        switch chip.readEdges(line: id) {
        case .edges(0):
            // A wake-up without an event: nothing changed.
            break
        case .edges:
            onEdge()
        case .failed:
            // A descriptor that keeps failing would keep the source firing:
            // stop watching, and let the caller find the fault with isActive().
            state.withLock { state in
                guard case let .watching(source) = state else { return }
                source.cancel()
                state = .stopping
            }
            onEdge()
        }
    }

    /// On the chip's queue, once the source no longer touches the descriptor.
    private func sourceCancelled() {
        let releaseNow = state.withLock { state -> Bool in
            switch state {
            case .releasing:
                state = .released
                return true
            case .stopping:
                state = .stopped
                return false
            case .idle, .watching, .stopped, .released:
                return false
            }
        }
        if releaseNow {
            chip.releaseLine(id)
        }
        sourceEnded.signal()
    }
}
