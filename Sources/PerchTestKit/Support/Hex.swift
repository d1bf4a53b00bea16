import NIOCore

/// A hex string in a test that is not hex: a mistake in the test itself.
public struct InvalidHexError: Error {}

/// The bytes of a hex string such as "30 07 00 03"; spaces are ignored.
public func buffer(hex: String) throws -> ByteBuffer {
    let digits = Array(hex.filter { !$0.isWhitespace })
    guard digits.count % 2 == 0 else { throw InvalidHexError() }
    var buffer = ByteBuffer()
    for start in stride(from: 0, to: digits.count, by: 2) {
        guard let byte = UInt8(String(digits[start...start + 1]), radix: 16) else { throw InvalidHexError() }
        buffer.writeInteger(byte)
    }
    return buffer
}

/// The readable bytes as upper-case hex pairs separated by spaces.
public func hex(_ buffer: ByteBuffer) -> String {
    buffer.readableBytesView.map { byte in
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }.joined(separator: " ")
}

/// A hex string in the canonical form `hex(_:)` produces.
public func normalized(_ hexString: String) throws -> String {
    hex(try buffer(hex: hexString))
}
