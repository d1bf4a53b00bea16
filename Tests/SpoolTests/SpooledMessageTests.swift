import MQTTCodec
import NIOCore
import PerchCore
import Testing

@Suite("SpooledMessage")
struct SpooledMessageTests {
    @Test("accounted bytes are topic, payload and content type, in UTF-8 bytes")
    func accountedBytes() {
        var message = Message(topic: "sensors/température", text: "21.5")
        #expect(SpooledMessage.accountedBytes(of: message) == 20 + 4)
        message.contentType = "text/plain"
        let spooled = SpooledMessage(sequence: 7, message: message, arrivalMilliseconds: 0)
        #expect(spooled.accountedBytes == 20 + 4 + 10)
    }
}
