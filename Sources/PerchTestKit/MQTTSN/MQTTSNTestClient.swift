import MQTTSNCodec
import NIOCore
import NIOPosix

/// A sensor played with our codec over a real UDP socket on the loopback of the
/// server's address family (tests of the MQTT-SN server and of perchd).
public struct MQTTSNTestClient: Sendable {
    /// The client's socket.
    public let channel: any Channel
    /// Where it sends.
    public let server: SocketAddress
    /// What it received.
    public let inbox: PacketInbox

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let inbox: PacketInbox
        init(inbox: PacketInbox) { self.inbox = inbox }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            inbox.push(unwrapInboundIn(data).data)
        }
    }

    /// Binds a socket on 127.0.0.1 or ::1, whichever matches `server`.
    public static func make(talkingTo server: SocketAddress, group: any EventLoopGroup) async throws -> MQTTSNTestClient {
        let inbox = PacketInbox()
        let local = server.protocol == .inet6 ? "::1" : "127.0.0.1"
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(inbox: inbox))
                }
            }
            .bind(host: local, port: 0)
            .get()
        return MQTTSNTestClient(channel: channel, server: server, inbox: inbox)
    }

    /// Encodes and sends one message.
    public func send(_ packet: MQTTSNPacket) async throws {
        var buffer = channel.allocator.buffer(capacity: 64)
        try packet.encode(into: &buffer)
        try await sendRaw(buffer)
    }

    /// Sends bytes as they are (malformed datagrams).
    public func sendRaw(_ bytes: ByteBuffer) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: bytes)).get()
    }

    /// The next datagram received, decoded; `PacketInbox.TimedOut` after `timeout`.
    public func next(timeout: Duration = .seconds(5)) async throws -> MQTTSNPacket {
        try await inbox.next(timeout: timeout)
    }

    /// Sends `packet` and returns the first datagram that comes back.
    public func exchange(_ packet: MQTTSNPacket, timeout: Duration = .seconds(5)) async throws -> MQTTSNPacket {
        try await send(packet)
        return try await next(timeout: timeout)
    }

    /// CONNECT without a will, expecting CONNACK accepted.
    public func connect(clientID: String, cleanSession: Bool = true, keepAlive: UInt16 = 60) async throws -> MQTTSNPacket {
        try await exchange(.connect(MQTTSNConnect(cleanSession: cleanSession, durationSeconds: keepAlive, clientID: clientID)))
    }

    /// Closes the socket.
    public func close() async {
        try? await channel.close()
    }
}
