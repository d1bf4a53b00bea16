import NIOCore
import Testing

@testable import perch_bench

/// The benchmark's own CoAP encoder, against bytes worked out by hand from RFC 7252 §3.
@Suite struct CoAPMessageEncoderTests {
    private func encode(
        type: CoAPMessageEncoder.MessageType, code: UInt8, messageID: UInt16, token: UInt32?, options: [UInt8],
        payload: [UInt8]
    ) -> [UInt8] {
        var buffer = ByteBuffer()
        CoAPMessageEncoder.write(
            type: type, code: code, messageID: messageID, token: token, options: options,
            payload: payload.isEmpty ? nil : ByteBuffer(bytes: payload), into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("RFC 7252 §3: header, 4-byte token, options, payload marker, payload")
    func confirmablePut() {
        let options = CoAPMessageEncoder.options(uriPath: ["ps", "t"], uriQuery: ["qos=1"])
        let bytes = encode(
            type: .confirmable, code: CoAPMessageEncoder.Code.put, messageID: 0x1234, token: 0xA1B2_C3D4,
            options: options, payload: [0x2A])
        #expect(
            bytes == [
                0x44, 0x03, 0x12, 0x34,  // Ver 1, CON, TKL 4; 0.03 PUT; message id
                0xA1, 0xB2, 0xC3, 0xD4,  // token
                0xB2, 0x70, 0x73,  // Uri-Path (11, delta 11) "ps"
                0x01, 0x74,  // Uri-Path (delta 0) "t"
                0x45, 0x71, 0x6F, 0x73, 0x3D, 0x31,  // Uri-Query (15, delta 4) "qos=1"
                0xFF, 0x2A,  // payload marker, payload
            ])
    }

    @Test("RFC 7252 §3: no payload, no marker; §4.1: an empty ACK is the 4-byte header only")
    func emptyAcknowledgement() {
        let bytes = encode(
            type: .acknowledgement, code: CoAPMessageEncoder.Code.empty, messageID: 0xBEEF, token: nil, options: [],
            payload: [])
        #expect(bytes == [0x60, 0x00, 0xBE, 0xEF])
    }

    @Test("RFC 7252 §3.1: a length of 13…268 takes one extension byte (value − 13), 269… two (value − 269)")
    func extendedOptionLength() {
        let medium = CoAPMessageEncoder.options(uriPath: [String(repeating: "a", count: 13)], uriQuery: [])
        #expect(Array(medium.prefix(2)) == [0xBD, 0x00])
        #expect(medium.count == 2 + 13)
        let long = CoAPMessageEncoder.options(uriPath: [String(repeating: "b", count: 300)], uriQuery: [])
        #expect(Array(long.prefix(3)) == [0xBE, 0x00, 0x1F])
        #expect(long.count == 3 + 300)
    }

    @Test("RFC 7252 §3.1: a delta of 13 or more takes an extension byte (Uri-Query alone: 15 = 13 + 2)")
    func extendedOptionDelta() {
        let options = CoAPMessageEncoder.options(uriPath: [], uriQuery: ["a"])
        #expect(options == [0xD1, 0x02, 0x61])
    }
}
