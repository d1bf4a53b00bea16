import NIOCore

extension ByteBuffer {
    /// This payload in storage of its own size, when it is a small slice of a
    /// much larger buffer.
    ///
    /// A payload decoded from a datagram (NIO's vector reads fill one 64 KiB
    /// buffer with 32 datagrams) or from the uplink's TCP stream is a slice that
    /// keeps the whole read buffer alive. That costs nothing while the message
    /// passes straight through, but a message that waits — behind a full uplink
    /// window, in a sleeping client's buffer — would pin a read buffer each:
    /// 10,000 waiting 32-byte messages held 50 MB in the benchmark. So whatever
    /// makes a message wait (the uplink's queue and its unacknowledged messages
    /// after a disconnect, the MQTT-SN gateway's client queues) copies it then:
    /// memory is bounded by what is held, and a message that passes straight
    /// through is never copied.
    package func detachedFromReadBuffer() -> ByteBuffer {
        guard storageCapacity > readableBytes &* 2 &+ 256 else { return self }
        var copy = ByteBufferAllocator().buffer(capacity: readableBytes)
        copy.writeImmutableBuffer(self)
        return copy
    }
}
