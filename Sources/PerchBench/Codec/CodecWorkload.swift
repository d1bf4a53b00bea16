import MQTTCodec
import NIOCore

/// The bytes and packets one codec case works on, prepared before the clock starts.
///
/// The packet is what Perch sends most: a QoS 1 PUBLISH with a packet
/// identifier and a mountpoint-prefixed topic, no properties.
struct CodecWorkload {
    /// A TCP segment's payload on Ethernet (1,500 MTU − 20 IP − 20 TCP).
    static let chunkSize = 1460
    /// The topic every packet carries (45 bytes).
    static let topic = "site/greenhouse-pi/sensors/node-7/temperature"

    let version: MQTTProtocolVersion
    let packet: MQTTPacket
    /// Bytes of one encoded packet, fixed header included.
    let packetSize: Int
    /// Payload bytes of one packet.
    let payloadSize: Int
    /// Many copies of the packet back to back, ending on a packet boundary.
    let stream: ByteBuffer
    /// How many packets `stream` holds.
    let packetsPerStream: Int
    /// `stream` cut into `chunkSize` pieces (the last one shorter).
    let chunks: [ByteBuffer]

    init(version: MQTTProtocolVersion, payloadSize: Int, streamBytes: Int = 256 * 1024) throws {
        self.version = version
        self.payloadSize = payloadSize
        var payload = ByteBuffer()
        for index in 0..<payloadSize { payload.writeInteger(UInt8(truncatingIfNeeded: index)) }
        packet = .publish(PublishPacket(topic: Self.topic, payload: payload, qos: .atLeastOnce, packetID: 4711))
        var one = ByteBuffer()
        try packet.encode(version: version, into: &one)
        packetSize = one.readableBytes
        packetsPerStream = max(64, streamBytes / packetSize)
        var stream = ByteBuffer()
        stream.reserveCapacity(packetSize * packetsPerStream)
        for _ in 0..<packetsPerStream { stream.writeImmutableBuffer(one) }
        self.stream = stream
        var chunks: [ByteBuffer] = []
        var rest = stream
        while rest.readableBytes > 0, let chunk = rest.readSlice(length: min(Self.chunkSize, rest.readableBytes)) {
            chunks.append(chunk)
        }
        self.chunks = chunks
    }

    /// Encodes the packet `count` times into one reused buffer; returns the bytes written.
    func encode(count: Int, into buffer: inout ByteBuffer) throws(MQTTCodecError) -> Int {
        var written = 0
        for _ in 0..<count {
            buffer.clear()
            try packet.encode(version: version, into: &buffer)
            written &+= buffer.readableBytes
        }
        return written
    }

    /// Decodes the whole stream once; returns the payload bytes seen.
    func decodeStream() throws(MQTTCodecError) -> Int {
        var reading = stream
        var payloadBytes = 0
        while let packet = try MQTTPacket.decode(from: &reading, version: version) {
            if case .publish(let publish) = packet { payloadBytes &+= publish.payload.readableBytes }
        }
        return payloadBytes
    }

    /// Feeds every chunk through `processor` once; returns the payload bytes seen.
    func decodeChunks(with processor: NIOSingleStepByteToMessageProcessor<MQTTPacketDecoder>) throws -> Int {
        var payloadBytes = 0
        for chunk in chunks {
            try processor.process(buffer: chunk) { packet in
                if case .publish(let publish) = packet { payloadBytes &+= publish.payload.readableBytes }
            }
        }
        return payloadBytes
    }

    /// A processor as `ByteToMessageHandler` would hold for one connection.
    func makeProcessor() -> NIOSingleStepByteToMessageProcessor<MQTTPacketDecoder> {
        NIOSingleStepByteToMessageProcessor(MQTTPacketDecoder(version: version))
    }
}
