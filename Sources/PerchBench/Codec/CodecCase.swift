import MQTTCodec

/// One row of the codec table: what is done, at which protocol level, with how large a payload.
struct CodecCase: Sendable {
    /// The operation measured.
    enum Operation: String, Sendable, CaseIterable {
        /// `MQTTPacket.encode(version:into:)` into a reused buffer.
        case encode
        /// `MQTTPacket.decode(from:version:)` over a buffer holding whole packets.
        case decode
        /// The same stream fed in 1,460-byte pieces through NIO's
        /// `NIOSingleStepByteToMessageProcessor`, as `ByteToMessageHandler` does on a socket.
        case decodeChunked = "decode 1460 B chunks"
    }

    var operation: Operation
    var version: MQTTProtocolVersion
    var payloadSize: Int

    /// The payload sizes the issue asks for: a sensor reading, a small JSON document, a page.
    static let payloadSizes = [16, 256, 4096]

    /// Every combination, grouped by operation.
    static var all: [CodecCase] {
        Operation.allCases.flatMap { operation in
            [MQTTProtocolVersion.v3_1_1, .v5].flatMap { version in
                payloadSizes.map { CodecCase(operation: operation, version: version, payloadSize: $0) }
            }
        }
    }
}
