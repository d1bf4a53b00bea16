import NIOCore

/// What every benchmark message carries, so the counter can tell loss,
/// duplicates, order and latency per client without any shared state with the
/// generator but the clock: 32 bytes, a small sensor reading's size.
struct BenchPayload: Equatable {
    /// Bytes on the wire (the fields, then zero padding).
    static let size = 32

    /// Which case sent it: a straggler from an earlier case is not counted.
    var caseTag: UInt32
    /// The sending client's index, 0..<N.
    var client: UInt32
    /// The client's sequence number, from 0, one per distinct message (a retransmission repeats it).
    var sequence: UInt32
    /// `MonotonicTime.now()` when the message was first sent.
    var sentNanoseconds: UInt64

    /// Appends the payload to `buffer`.
    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(caseTag)
        buffer.writeInteger(client)
        buffer.writeInteger(sequence)
        buffer.writeInteger(UInt32(0))
        buffer.writeInteger(sentNanoseconds)
        buffer.writeInteger(UInt64(0))
    }

    /// Reads a payload written by `write(into:)`; nil for anything else.
    static func read(from buffer: ByteBuffer) -> BenchPayload? {
        guard buffer.readableBytes == size,
            let caseTag = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
            let client = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt32.self),
            let sequence = buffer.getInteger(at: buffer.readerIndex + 8, as: UInt32.self),
            let sent = buffer.getInteger(at: buffer.readerIndex + 16, as: UInt64.self)
        else { return nil }
        return BenchPayload(caseTag: caseTag, client: client, sequence: sequence, sentNanoseconds: sent)
    }
}
