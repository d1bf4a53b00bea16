import Logging
import NIOCore

/// The channel handler of one listener: hands each datagram to the engine, and
/// at the end of each read batch lets it flush and reschedule once.
final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let engine: GatewayEngine
    private let listener: Int

    init(engine: GatewayEngine, listener: Int) {
        self.engine = engine
        self.listener = listener
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        engine.receive(unwrapInboundIn(data), on: listener)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        engine.endOfEvents()
    }

    /// A UDP socket reports ICMP "port unreachable" of an earlier send as an error
    /// on a later call; it says nothing about this socket, which stays open.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        engine.logger.debug("MQTT-SN socket error", metadata: ["error": "\(error)"])
    }
}
