/// Cuts the bytes read from the control FIFO into lines. Writers come and go
/// and a line may arrive in pieces, so the tail without a newline waits for
/// the next read; a line longer than `maximumLength` is dropped whole, so a
/// writer that never sends a newline cannot grow the buffer without bound.
struct ControlLineBuffer: Sendable {
    /// What one read produced.
    enum Item: Sendable, Equatable {
        /// A complete line, without its newline.
        case line(String)
        /// A line that was longer than `maximumLength`, dropped.
        case overlong
    }

    /// Far longer than any `<line> <level>`.
    static let defaultMaximumLength = 256

    let maximumLength: Int
    private var pending: [UInt8] = []
    /// True while the rest of an overlong line is being skipped.
    private var isSkipping = false

    init(maximumLength: Int = defaultMaximumLength) {
        self.maximumLength = maximumLength
    }

    /// Adds `bytes` and returns the lines they complete.
    mutating func append(_ bytes: some Sequence<UInt8>) -> [Item] {
        var items: [Item] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if isSkipping {
                    isSkipping = false
                } else {
                    items.append(.line(String(decoding: pending, as: UTF8.self)))
                }
                pending.removeAll(keepingCapacity: true)
            } else if !isSkipping {
                pending.append(byte)
                if pending.count > maximumLength {
                    items.append(.overlong)
                    pending.removeAll(keepingCapacity: true)
                    isSkipping = true
                }
            }
        }
        return items
    }
}
