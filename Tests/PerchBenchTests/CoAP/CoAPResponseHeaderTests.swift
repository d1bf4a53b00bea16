import Testing

@testable import perch_bench

/// What the generator reads of perchd's responses (RFC 7252 §3), malformed datagrams included.
@Suite struct CoAPResponseHeaderTests {
    private func decode(_ bytes: [UInt8]) -> CoAPResponseHeader? {
        bytes.withUnsafeBytes { CoAPResponseHeader($0) }
    }

    @Test("RFC 7252 §5.2.2: a separate CON 2.04 with the request's 4-byte token")
    func separateResponse() throws {
        let header = try #require(decode([0x44, 0x44, 0x00, 0x07, 0x00, 0x00, 0x01, 0x02, 0xFF, 0x00]))
        #expect(header.type == .confirmable)
        #expect(header.code == CoAPMessageEncoder.Code.changed)
        #expect(header.messageID == 7)
        #expect(header.token == 0x0102)
        #expect(!header.isEmpty)
        #expect(CoAPResponseHeader.text(ofCode: header.code) == "2.04")
    }

    @Test("RFC 7252 §4.1: an empty ACK")
    func emptyAcknowledgement() throws {
        let header = try #require(decode([0x60, 0x00, 0x12, 0x34]))
        #expect(header.type == .acknowledgement)
        #expect(header.isEmpty)
        #expect(header.messageID == 0x1234)
        #expect(header.token == nil)
    }

    @Test("RFC 7252 §3: malformed — short header, version 2, token length 9, token cut off")
    func malformed() {
        #expect(decode([0x60, 0x00, 0x12]) == nil)
        #expect(decode([0xA0, 0x00, 0x12, 0x34]) == nil)
        #expect(decode([0x69, 0x00, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8, 9]) == nil)
        #expect(decode([0x64, 0x44, 0x12, 0x34, 1, 2]) == nil)
    }

    @Test("RFC 7252 §12.1.2: codes read as c.dd")
    func codeText() {
        #expect(CoAPResponseHeader.text(ofCode: 0xA3) == "5.03")
        #expect(CoAPResponseHeader.text(ofCode: 0x80) == "4.00")
    }
}
