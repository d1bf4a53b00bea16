import MQTTCodec
import NIOCore

/// The last handler of an uplink connection: hands every event to the
/// `UplinkCore` and writes what it is told to. Decides nothing itself.
///
/// Packets are encoded here, back to back into one buffer, and that buffer goes
/// down the pipeline once per flush (once per event-loop turn, see
/// `UplinkCore.scheduleFlush`): a burst of a thousand PUBLISHes is one write,
/// one TLS record run and one `writev`, not a thousand trips through the
/// pipeline with a buffer and a promise each.
final class UplinkChannelHandler: ChannelInboundHandler {
    typealias InboundIn = MQTTPacket
    typealias OutboundOut = ByteBuffer

    private let core: UplinkCore
    private let version: MQTTProtocolVersion
    private var context: ChannelHandlerContext?
    /// Encoded packets not yet handed to the pipeline.
    private var pending: ByteBuffer?
    /// Completed when `pending` has been written: the promises of its packets.
    private var pendingPromise: EventLoopPromise<Void>?

    init(core: UplinkCore, version: MQTTProtocolVersion) {
        self.core = core
        self.version = version
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        pending = nil
        pendingPromise?.fail(ChannelError.ioOnClosedChannel)
        pendingPromise = nil
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
        var buffer = pending ?? context.channel.allocator.buffer(capacity: 4_096)
        do {
            try packet.encode(version: version, into: &buffer)
        } catch {
            // The core measured every PUBLISH with the same checks before queueing
            // it, so this is a bug; treat it as the old encoder handler did: the
            // connection fails and the back-off takes over.
            pending = buffer
            promise?.fail(error)
            errorCaught(context: context, error: error)
            return
        }
        pending = buffer
        if let promise {
            if let pendingPromise {
                pendingPromise.futureResult.cascade(to: promise)
            } else {
                pendingPromise = promise
            }
        }
    }

    func flush() {
        guard let context else { return }
        if let buffer = pending {
            pending = nil
            let promise = pendingPromise
            pendingPromise = nil
            context.write(wrapOutboundOut(buffer), promise: promise)
        }
        context.flush()
    }

    func close() {
        context?.close(promise: nil)
    }
}
