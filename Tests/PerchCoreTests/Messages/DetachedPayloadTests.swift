import NIOCore
@testable import PerchCore
import Testing

@Suite struct DetachedPayloadTests {
    @Test func aSmallSliceOfALargeReadBufferIsCopiedIntoItsOwnStorage() {
        var readBuffer = ByteBufferAllocator().buffer(capacity: 65_536)
        readBuffer.writeRepeatingByte(0x61, count: 65_536)
        let slice = readBuffer.getSlice(at: 1_000, length: 32)
        #expect(slice?.storageCapacity ?? 0 >= 65_536)
        let detached = slice?.detachedFromReadBuffer()
        #expect(detached == slice)
        #expect((detached?.storageCapacity ?? .max) < 1_024)
    }

    @Test func aBufferOfItsOwnIsLeftAlone() {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        buffer.writeString("temperature 21.5")
        let same = buffer.detachedFromReadBuffer()
        #expect(same == buffer)
        #expect(same.storageCapacity == buffer.storageCapacity)
    }
}
