import MQTTCodec
import NIOCore
import Testing

@testable import Uplink

/// Messages that wait in the uplink hold their own small payload storage, not the
/// (64 KiB) read buffer they were sliced from; messages sent at once are not copied.
@Suite struct WaitingPayloadTests {
    /// A 32-byte payload sliced out of a 64 KiB buffer, as a vector read gives it.
    private func slicedMessage(_ topic: String, qos: MQTTQoS) throws -> PublishPacket {
        var readBuffer = ByteBufferAllocator().buffer(capacity: 65_536)
        readBuffer.writeRepeatingByte(0x61, count: 65_536)
        let payload = try #require(readBuffer.getSlice(at: 4_096, length: 32))
        return PublishPacket(topic: topic, payload: payload, qos: qos)
    }

    @Test func aQueuedMessageNoLongerPinsItsReadBuffer() throws {
        var machine = makeMachine(window: 1)
        // Disconnected: it waits in the queue.
        #expect(machine.publish(try slicedMessage("queued", qos: .atLeastOnce), 1).isEmpty)
        let queued = try #require(machine.pending.first)
        #expect(queued.packet.payload.readableBytes == 32)
        #expect(queued.packet.payload.storageCapacity < 1_024)
    }

    @Test func aMessageSentAtOnceIsNotCopied() throws {
        var machine = makeMachine(window: 1)
        machine.connect()
        let sent = machine.publish(try slicedMessage("direct", qos: .atMostOnce), 1).published
        #expect(sent.count == 1)
        #expect((sent.first?.payload.storageCapacity ?? 0) >= 65_536)
    }

    @Test func unacknowledgedMessagesAreDetachedWhenTheConnectionIsLost() throws {
        var machine = makeMachine(window: 1)
        machine.connect()
        #expect(machine.publish(try slicedMessage("in-flight", qos: .atLeastOnce), 1).published.count == 1)
        #expect((machine.inFlight.values.first?.packet.payload.storageCapacity ?? 0) >= 65_536)
        _ = machine.connectionClosed()
        let waiting = try #require(machine.inFlight.values.first)
        #expect(waiting.packet.payload.readableBytes == 32)
        #expect(waiting.packet.payload.storageCapacity < 1_024)
    }
}
