import Logging
import MQTTCodec
import NIOCore
import NIOEmbedded
import PerchCore
import PerchTestKit
import Testing

@testable import Uplink

/// Counts the flushes that reach the transport.
final class FlushCounter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    var flushes = 0

    func flush(context: ChannelHandlerContext) {
        flushes += 1
        context.flush()
    }
}

/// The connection layer on an `EmbeddedChannel`: packets in and out as values,
/// time moved by hand, no sockets.
struct Harness {
    let loop = EmbeddedEventLoop()
    let channel: EmbeddedChannel
    let core: UplinkCore
    let board = StatusBoard(broker: "mqtt://test")
    let counter = FlushCounter()
    let downlink: AsyncStream<Message>

    init(keepAliveSeconds: UInt16 = 10, window: Int = 8) throws {
        let (downlink, continuation) = AsyncStream.makeStream(of: Message.self)
        self.downlink = downlink
        core = UplinkCore(
            settings: .init(
                connect: ConnectPacket(version: .v5, clientID: "embedded", keepAliveSeconds: keepAliveSeconds),
                inFlightWindow: window,
                connectTimeout: .seconds(5),
                endpoint: "test:1883"
            ),
            brokerDescription: "mqtt://test",
            eventLoop: loop,
            statusBoard: board,
            downlink: continuation,
            logger: InMemoryLogStore().makeLogger(label: "embedded")
        )
        channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(UplinkChannelHandler(core: core, version: .v5))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1883)).wait()
        loop.run()
    }

    /// Every packet flushed so far.
    func flushed() throws -> [MQTTPacket] {
        var packets: [MQTTPacket] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            while let packet = try MQTTPacket.decode(from: &buffer, version: .v5) {
                packets.append(packet)
            }
            #expect(buffer.readableBytes == 0, "a write ends at a packet boundary")
        }
        return packets
    }

    func acceptConnection() throws {
        try channel.writeInbound(MQTTPacket.connack(ConnAckPacket()))
        loop.run()
    }

    func publish(_ topic: String, request: UInt64, qos: MQTTQoS = .atLeastOnce) -> EventLoopFuture<Void> {
        let promise = loop.makePromise(of: Void.self)
        core.publish(Message(topic: topic, text: topic, qos: qos), request: RequestID(rawValue: request), promise: promise)
        return promise.futureResult
    }
}

@Suite struct UplinkCoreChannelTests {
    @Test func sendsConnectAndReportsTheConnection() throws {
        let harness = try Harness()
        let sent = try harness.flushed()
        guard case .connect(let connect)? = sent.first else {
            Issue.record("expected CONNECT, got \(sent)")
            return
        }
        #expect(connect.clientID == "embedded")
        #expect(!harness.board.current.isConnected)
        try harness.acceptConnection()
        #expect(harness.board.current.isConnected)
    }

    /// Writes are flushed once per event-loop turn, not once per message.
    @Test func writesInOneTurnShareOneFlush() throws {
        let harness = try Harness()
        try harness.acceptConnection()
        _ = try harness.flushed()
        let flushesBefore = harness.counter.flushes
        let futures = (1...3).map { harness.publish("t/\($0)", request: UInt64($0)) }
        #expect(try harness.flushed().isEmpty)
        harness.loop.run()
        let sent = try harness.flushed()
        #expect(sent.count == 3)
        #expect(harness.counter.flushes == flushesBefore + 1)
        for (index, future) in futures.enumerated() {
            try harness.channel.writeInbound(MQTTPacket.puback(PublishAckPacket(packetID: UInt16(index + 1))))
            #expect(throws: Never.self) { try future.wait() }
        }
    }

    @Test func qos0CompletesWhenWritten() throws {
        let harness = try Harness()
        try harness.acceptConnection()
        let future = harness.publish("zero", request: 1, qos: .atMostOnce)
        harness.loop.run()
        #expect(throws: Never.self) { try future.wait() }
    }

    @Test func keepAlivePingsThenDeclaresTheLinkDead() throws {
        let harness = try Harness(keepAliveSeconds: 10)
        try harness.acceptConnection()
        _ = try harness.flushed()
        harness.loop.advanceTime(by: .seconds(10))
        #expect(try harness.flushed() == [.pingreq])
        harness.loop.advanceTime(by: .seconds(4))
        #expect(harness.channel.isActive)
        harness.loop.advanceTime(by: .seconds(1))
        #expect(!harness.channel.isActive)
        #expect(harness.board.current.lastError == "nothing received from the broker for 15.0 seconds: connection declared dead")
        #expect(!harness.board.current.isConnected)
    }

    @Test func pingResponseKeepsTheLinkUp() throws {
        let harness = try Harness(keepAliveSeconds: 10)
        try harness.acceptConnection()
        harness.loop.advanceTime(by: .seconds(10))
        try harness.channel.writeInbound(MQTTPacket.pingresp)
        harness.loop.advanceTime(by: .seconds(10))
        #expect(harness.channel.isActive)
    }

    @Test func connectTimeoutClosesTheConnection() throws {
        let harness = try Harness()
        harness.loop.advanceTime(by: .seconds(5))
        #expect(!harness.channel.isActive)
        #expect(harness.board.current.lastError == "no CONNACK from test:1883 within 5.0 seconds; the broker probably does not speak MQTT 5: set uplink.protocol: \"3.1.1\"")
    }

    @Test func shutdownWaitsForInFlightThenSendsDisconnectBeforeClosing() throws {
        let harness = try Harness()
        try harness.acceptConnection()
        _ = try harness.flushed()
        let unanswered = harness.publish("unanswered", request: 1)
        harness.loop.run()
        _ = try harness.flushed()
        harness.core.shutdown()
        harness.loop.run()
        #expect(try harness.flushed().isEmpty)
        #expect(harness.channel.isActive)
        harness.loop.advanceTime(by: .seconds(2))
        #expect(try harness.flushed() == [.disconnect(DisconnectPacket(reasonCode: .success))])
        #expect(!harness.channel.isActive)
        #expect(throws: UplinkError.shuttingDown) { try unanswered.wait() }
        #expect(harness.board.current.lastError == nil)
    }
}
