/// The records of one input: `[kind][length: UInt16, big-endian][bytes]`; a
/// length past the end takes what is left, a record cut inside its header ends
/// the input.
struct Records {
    private var rest: Slice<UnsafeRawBufferPointer>

    init(_ bytes: Slice<UnsafeRawBufferPointer>) {
        rest = bytes
    }

    mutating func next() -> (kind: UInt8, body: Slice<UnsafeRawBufferPointer>)? {
        guard rest.count >= 3 else { return nil }
        let start = rest.startIndex
        let kind = rest[start]
        let length = Int(rest[start + 1]) << 8 | Int(rest[start + 2])
        let bodyStart = start + 3
        let bodyEnd = min(rest.endIndex, bodyStart + length)
        let body = rest[bodyStart..<bodyEnd]
        rest = rest[bodyEnd...]
        return (kind, body)
    }
}
