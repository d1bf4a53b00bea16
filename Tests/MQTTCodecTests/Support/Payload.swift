import NIOCore

/// A buffer holding the UTF-8 of `text` (payloads in vectors).
func payload(_ text: String) -> ByteBuffer {
    ByteBuffer(string: text)
}
