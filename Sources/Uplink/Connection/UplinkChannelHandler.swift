import MQTTCodec
import NIOCore

/// The last handler of an uplink connection: hands every event to the
/// `UplinkCore` and writes what it is told to. Decides nothing itself.
final class UplinkChannelHandler: ChannelInboundHandler {
    typealias InboundIn = MQTTPacket
    typealias OutboundOut = MQTTPacket

    private let core: UplinkCore
    private var context: ChannelHandlerContext?

    init(core: UplinkCore) {
        self.core = core
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        core.connectionOpened(handler: self)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        core.connectionClosed(self)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        core.received(unwrapInboundIn(data), from: self)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        core.connectionFailed(error, on: self)
        context.close(promise: nil)
    }

    // MARK: Carrying out the core's actions

    func write(_ packet: MQTTPacket, promise: EventLoopPromise<Void>?) {
        guard let context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(wrapOutboundOut(packet), promise: promise)
    }

    func flush() {
        context?.flush()
    }

    func close() {
        context?.close(promise: nil)
    }
}
