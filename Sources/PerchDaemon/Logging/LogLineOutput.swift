#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where `JournalLogHandler` writes its finished lines; injectable so tests can capture them.
public protocol LogLineOutput: Sendable {
    /// Writes one complete line (the newline is included) in one piece.
    func write(line: String)
}

/// Writes lines to a file descriptor (standard output by default) with one `write(2)` per line.
///
/// No stdio buffering: a line reaches journald (or the terminal) as soon as it is
/// logged, and is not lost if the process is killed. A lock keeps lines from
/// different threads whole even when a line is longer than the pipe's atomic size.
public final class FileDescriptorLogOutput: LogLineOutput {
    private let fileDescriptor: Mutex<Int32>

    /// An output for `fileDescriptor`, which stays owned by the caller.
    public init(fileDescriptor: Int32 = 1) {
        self.fileDescriptor = Mutex(fileDescriptor)
    }

    /// Writes `line` completely, retrying after EINTR and partial writes; drops it if the descriptor fails.
    public func write(line: String) {
        var bytes = Array(line.utf8)
        fileDescriptor.withLock { fd in
            bytes.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    #if canImport(Glibc)
                    let written = Glibc.write(fd, base + offset, buffer.count - offset)
                    #else
                    let written = Darwin.write(fd, base + offset, buffer.count - offset)
                    #endif
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        // Nowhere left to report a failing log stream; losing the line beats crashing.
                        return
                    }
                }
            }
        }
    }
}
