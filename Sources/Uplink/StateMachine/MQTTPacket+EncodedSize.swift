import MQTTCodec
import NIOCore

extension MQTTPacket {
    /// The number of bytes this packet takes on the wire, found by encoding it
    /// (the same code that will write it, so the two cannot disagree). Throws
    /// what the encoder would throw, so a message that cannot be sent is
    /// refused when it is published rather than breaking the connection later.
    func encodedSize(version: MQTTProtocolVersion) throws(MQTTCodecError) -> Int {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        try encode(version: version, into: &buffer)
        return buffer.readableBytes
    }
}
