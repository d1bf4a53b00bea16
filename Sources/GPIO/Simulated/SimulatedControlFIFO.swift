import Dispatch
import Glibc
import Synchronization

/// The named pipe through which something outside perchd drives the simulated
/// chip's inputs: `echo "GPIO27 0" > /var/lib/perch/gpio-simulated`.
///
/// It is opened read-write, so perchd itself counts as a writer and a read
/// never sees end-of-file when the last outside writer closes; and
/// non-blocking, so the read handler drains what is there and returns.
final class SimulatedControlFIFO: Sendable {
    /// Where the FIFO is.
    let path: String
    private let descriptor: Int32
    private let source: SendableReadSource
    private let state = Mutex(State())

    private struct State: Sendable {
        var buffer = ControlLineBuffer()
        var isStarted = false
        var isClosed = false
    }

    /// `DispatchSourceRead` is not marked `Sendable` in corelibs-libdispatch.
    // @unchecked: dispatch sources are thread-safe objects; after `start` only
    // `resume` and `cancel` are called on it, both safe from any thread.
    private struct SendableReadSource: @unchecked Sendable {
        let source: any DispatchSourceRead
    }

    /// Creates the FIFO at `path` (replacing a stale one) and opens it; nothing
    /// is read before `start`.
    init(path: String, queue: DispatchQueue) throws(GPIOError) {
        try Self.makeFIFO(at: path)
        // O_NOFOLLOW: a symbolic link slipped in after mkfifo is not followed.
        let descriptor = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            let failure = errno
            unlink(path)
            throw Self.error(path, errno: failure)
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        // The descriptor is closed only once the source is cancelled, so no
        // read handler can run on a closed (or reused) descriptor.
        source.setCancelHandler { Glibc.close(descriptor) }
        self.path = path
        self.descriptor = descriptor
        self.source = SendableReadSource(source: source)
    }

    deinit {
        close()
    }

    /// Starts reading: `onLine` gets every complete line, on the queue.
    func start(onLine: @escaping @Sendable (Item) -> Void) {
        let shouldResume = state.withLock { state in
            guard !state.isStarted, !state.isClosed else { return false }
            state.isStarted = true
            return true
        }
        guard shouldResume else { return }
        source.source.setEventHandler { [weak self] in
            guard let self else { return }
            for item in self.readAvailable() { onLine(item) }
        }
        source.source.resume()
    }

    /// What a read produced.
    typealias Item = ControlLineBuffer.Item

    /// Stops reading, closes the descriptor and removes the FIFO. Idempotent.
    func close() {
        let wasStarted: Bool? = state.withLock { state in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            return state.isStarted
        }
        guard let wasStarted else { return }
        // A suspended source must be resumed before it goes away (libdispatch).
        if !wasStarted { source.source.resume() }
        source.source.cancel()
        unlink(path)
    }

    /// Reads everything waiting (bounded, so one busy writer cannot hold the
    /// queue) and returns the lines completed.
    private func readAvailable() -> [Item] {
        var items: [Item] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        for _ in 0..<64 {
            let count = chunk.withUnsafeMutableBytes { bytes in
                read(descriptor, bytes.baseAddress, bytes.count)
            }
            if count > 0 {
                let received = chunk.prefix(count)
                items += state.withLock { $0.buffer.append(received) }
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break  // EAGAIN: drained; 0 cannot happen while we hold a writer.
            }
        }
        return items
    }

    /// Makes a FIFO at `path` with mode 0660: a FIFO already there is left from
    /// an earlier run and replaced; anything else is somebody's file and refused.
    private static func makeFIFO(at path: String) throws(GPIOError) {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFIFO else {
                throw error(path, errno: EEXIST)
            }
            guard unlink(path) == 0 || errno == ENOENT else { throw error(path, errno: errno) }
        } else if errno != ENOENT {
            throw error(path, errno: errno)
        }
        guard mkfifo(path, 0o660) == 0 else { throw error(path, errno: errno) }
        // mkfifo's mode passes through the umask; the group must be able to write.
        guard chmod(path, 0o660) == 0 else {
            let failure = errno
            unlink(path)
            throw error(path, errno: failure)
        }
    }

    /// The error for the FIFO at `path`: GPIOError has no field for a control
    /// path, so the chip's description carries it (`simulated (control FIFO …)`).
    static func error(_ path: String, errno: Int32) -> GPIOError {
        let what = errno == EEXIST
            ? "control FIFO \(path): a file that is not a FIFO is in the way; move it aside"
            : "control FIFO \(path)"
        return GPIOError(.failed, chip: "\(SimulatedChip.chipName) (\(what))", errno: errno)
    }
}
