@testable import GPIO
import Testing

@Suite("ControlLineBuffer: bytes from the FIFO into lines")
struct ControlLineBufferTests {
    @Test("a line split across reads waits for its newline")
    func splitLine() {
        var buffer = ControlLineBuffer()
        #expect(buffer.append(Array("GPIO2".utf8)).isEmpty)
        #expect(buffer.append(Array("7 1\n27 0\n2".utf8)) == [.line("GPIO27 1"), .line("27 0")])
        #expect(buffer.append(Array("7 1\n".utf8)) == [.line("27 1")])
    }

    @Test("an overlong line is dropped whole, and the next line is read")
    func overlong() {
        var buffer = ControlLineBuffer(maximumLength: 8)
        #expect(buffer.append(Array("0123456789".utf8)) == [.overlong])
        #expect(buffer.append(Array("abc\nGPIO1 1\n".utf8)) == [.line("GPIO1 1")])
    }
}
