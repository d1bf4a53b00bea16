// The real CoAP engine — libcoap 4.3.1 with perchd's handlers, block-wise
// assembly, Observe and separate (async) answers — fed a *sequence* of
// datagrams from one input over loopback UDP (issue 20: the Block1 crash
// needed two datagrams, one parser at a time could never find it).
//
// Input: one byte of settings, then records `[kind][length: UInt16 BE][bytes]`
// (a short last record takes what is left):
//   kind % 4 == 0  a datagram from client A
//   kind % 4 == 1  a datagram from client B (another source port: another libcoap session)
//   kind % 4 == 2  a message from the broker (downlink): QoS in the low two bits
//                  of the first byte, retain in bit 2, bit 3 set for a topic
//                  outside the mountpoint; then the topic up to a NUL, then the
//                  payload. It reaches GET's last values and the observers; a
//                  topic the broker could not send (not a valid name) is skipped
//   kind % 4 == 3  the upstream answers every publish waiting for it, and the
//                  engine sends what follows (2.04/5.03 as a separate CON answer)
// Settings bit 0: the upstream refuses (5.03 + Max-Age) instead of acknowledging.
//
// Every input gets a fresh engine on 127.0.0.1 port 0 and fresh client sockets,
// so an input that fails reproduces alone. After each datagram the engine's
// receive path (`processIO`, what its read source calls) runs on its queue
// until its socket is empty; the upstream's futures complete only at a kind-3
// record or at the end, on the engine's queue hop, so a run does not depend on
// thread timing. No sleeps: everything waits on a queue or a loop.

@testable import CoAPServer
import Dispatch
import Logging
import MQTTCodec
import NIOCore
import NIOPosix
import PerchCore

#if canImport(Glibc)
import Glibc
#endif

private let eventLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
private let upstream = HeldUpstream(eventLoop: eventLoop)
private let silent = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

private let configuration = CoAPServer.Configuration(
    listen: [ListenAddress(host: "127.0.0.1", port: 0)],
    mountpoint: (try? Mountpoint("site/gw/")) ?? .none,
    aliases: ["t": "room/t", "all": "room/#"],
    // Small, so that eviction, 4.13 and Block2 answers (over 1024 bytes) all
    // fit in libFuzzer's 4096-byte inputs.
    lastValueCapacity: 4,
    retryAfterSeconds: 30,
    maximumPayloadBytes: 2_048
)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCoAPExchanges(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let settings = bytes.first else { return 0 }
    upstream.refuses = settings & 0x01 != 0

    let engine = CoAPEngine(configuration: configuration, upstream: upstream, logger: silent)
    let bound: CoAPEngine.BoundAddresses
    do {
        bound = try engine.queue.sync { () throws(CoAPServerError) in try engine.start() }
    } catch {
        // A harness fault, not a finding: nothing of the input has run.
        fatalError("the CoAP engine did not start: \(error)")
    }
    guard let port = bound.plain.first?.port, let server = ServerSocket(port: port),
          let clientA = ClientSocket(serverPort: port), let clientB = ClientSocket(serverPort: port) else {
        fatalError("the loopback sockets could not be set up")
    }
    defer {
        clientA.close()
        clientB.close()
    }

    var records = Records(bytes.dropFirst())
    while let (kind, body) = records.next() {
        switch kind % 4 {
        case 0, 1:
            (kind % 4 == 0 ? clientA : clientB).send(body)
            drain(engine, server)
        case 2:
            guard let message = downlinkMessage(body) else { continue }
            engine.queue.sync { engine.remember(message) }
            drain(engine, server)
        default:
            settle(engine, server)
        }
    }
    settle(engine, server)
    engine.queue.sync { engine.stop() }
    return 0
}

/// Runs the engine's receive path until its socket holds no datagram
/// (bounded: libcoap reads one datagram per endpoint and pass).
private func drain(_ engine: CoAPEngine, _ server: ServerSocket) {
    var passes = 0
    while passes < 64 && server.hasPendingDatagram {
        engine.queue.sync { engine.processIO() }
        passes += 1
    }
    // Whatever the read source started meanwhile has finished too.
    engine.queue.sync {}
}

/// The upstream answers every waiting publish; the answers hop to the loop,
/// then to the engine's queue, which triggers libcoap's async entries.
private func settle(_ engine: CoAPEngine, _ server: ServerSocket) {
    for _ in 0..<4 {
        let answered = upstream.answerAll()
        // FIFO: the callbacks the engine registered run before this.
        try? eventLoop.submit {}.wait()
        engine.queue.sync {}
        drain(engine, server)
        if answered == 0 { return }
    }
}

/// A downlink message as the uplink would hand it over, or `nil` for a topic
/// no broker could send.
private func downlinkMessage(_ body: Slice<UnsafeRawBufferPointer>) -> Message? {
    let flags = body.first ?? 0
    let rest = body.dropFirst()
    let topicEnd = rest.firstIndex(of: 0) ?? rest.endIndex
    let name = String(decoding: rest[..<topicEnd], as: UTF8.self)
    let topic = flags & 0x08 != 0 ? name : "site/gw/" + name
    guard (try? TopicName.validate(topic)) != nil else { return nil }
    let payload = topicEnd < rest.endIndex ? Array(rest[rest.index(after: topicEnd)...]) : []
    return Message(
        topic: topic,
        payload: ByteBuffer(bytes: payload),
        qos: MQTTQoS(rawValue: min(flags & 0x03, 2)) ?? .atMostOnce,
        retain: flags & 0x04 != 0
    )
}
