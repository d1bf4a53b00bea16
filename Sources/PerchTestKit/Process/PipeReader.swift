import Foundation

/// Reads one pipe to its end on a dedicated thread and splits it into lines.
///
/// A plain blocking thread rather than `readabilityHandler`: its EOF behaviour is
/// the same on every platform, and it never blocks the cooperative pool.
enum PipeReader {
    static func start(
        _ handle: FileHandle,
        stream: OutputLine.Stream,
        into output: AwaitableState<ChildOutput>
    ) {
        let thread = Thread {
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            let fd = handle.fileDescriptor
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                pending.append(contentsOf: chunk[0..<count])
                var lines: [OutputLine] = []
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(Self.line(pending[..<newline], stream))
                    pending.removeSubrange(...newline)
                }
                if !lines.isEmpty {
                    output.update { $0.lines.append(contentsOf: lines) }
                }
            }
            let last = pending.isEmpty ? nil : Self.line(pending[...], stream)
            try? handle.close()
            output.update { state in
                if let last { state.lines.append(last) }
                state.openStreams -= 1
            }
        }
        thread.name = "PerchTestKit pipe reader"
        thread.start()
    }

    private static func line(_ bytes: ArraySlice<UInt8>, _ stream: OutputLine.Stream) -> OutputLine {
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return OutputLine(stream: stream, text: String(decoding: bytes, as: UTF8.self))
    }
}
