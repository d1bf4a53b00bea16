import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import PerchCore
import Spool
import Storage

/// `perch-bench spool-memory`: what the spool's memory tier costs per message
/// on the online path, where the broker takes every message at once (no disk
/// write ever happens): `Spool.send` (QoS 0) and `Spool.enqueue` (QoS 1, a
/// promise per message) against handing the same messages straight to the
/// transport. The difference is the spool's own cost.
struct SpoolMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool-memory",
        abstract: "The spool's per-message cost online (memory tier only), against no spool."
    )

    @Option(help: "Messages per run.")
    var messages = 1_000_000

    @Option(help: "Runs per case; the median is reported.")
    var runs = 5

    func run() throws {
        guard (1_000...100_000_000).contains(messages), (1...50).contains(runs) else {
            throw BenchError.invalidSetting("messages in 1000...100000000 and runs in 1...50")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let scratch = try ScratchStateDirectory(in: NSTemporaryDirectory())
        defer { scratch.remove() }
        var logger = Logger(label: "perch-bench")
        logger.logLevel = .warning

        let transport = InstantTransport(eventLoop: group.next())
        let store = try SQLiteSpoolStore(stateDirectory: scratch.path, logger: logger)
        let spool = Spool(policy: SpoolPolicy(), store: store, inventory: try store.inventory(), transport: transport, logger: logger)
        try transport.bringLinkUp()

        let message = Message(
            topic: "site/greenhouse-pi/sensors/node-7/temperature", payload: ByteBuffer(repeating: 0x41, count: 64))
        let qos1 = Message(topic: message.topic, payload: message.payload, qos: .atLeastOnce)
        let count = messages
        let cases: [(String, @Sendable () -> Void)] = [
            ("transport alone, QoS 0", { for index in 0..<count { transport.transmit(message, ticket: UpstreamTicket(rawValue: UInt64(index))) } }),
            ("Spool.send, QoS 0", { for _ in 0..<count { spool.send(message) } }),
            ("Spool.enqueue, QoS 1", { for _ in 0..<count { _ = spool.enqueue(qos1) } }),
        ]
        print("Spool memory tier: \(messages) messages per run, \(runs) runs, median; the transport takes every message at once.\n")
        var table = MarkdownTable([("case", .left), ("ns/msg", .right), ("msgs/s", .right)])
        let eventLoop = transport.eventLoop
        for (name, body) in cases {
            var samples: [Double] = []
            for _ in 0..<runs {
                let elapsed = try eventLoop.submit { () -> Double in
                    let start = DispatchTime.now().uptimeNanoseconds
                    body()
                    return Double(DispatchTime.now().uptimeNanoseconds - start)
                }.wait()
                samples.append(elapsed / Double(count))
            }
            let median = samples.sorted()[samples.count / 2]
            table.append([name, Formatting.number(median, decimals: 0), Formatting.number(1e9 / median)])
        }
        print(table.render())
    }
}

/// A transport whose broker takes every message the moment it is handed over.
final class InstantTransport: UpstreamTransport, Sendable {
    let eventLoop: any EventLoop
    private let box: NIOLoopBoundBox<Handlers>

    final class Handlers {
        var transmission: ((UpstreamTicket, UpstreamTransmissionOutcome) -> Void)?
        var link: ((Bool) -> Void)?
    }

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.box = NIOLoopBoundBox.makeBoxSendingValue(Handlers(), eventLoop: eventLoop)
    }

    func bringLinkUp() throws {
        let box = self.box
        try eventLoop.submit { box.value.link?(true) }.wait()
    }

    func setTransmissionHandler(_ handler: @escaping (UpstreamTicket, UpstreamTransmissionOutcome) -> Void) {
        box.value.transmission = handler
    }

    func setLinkHandler(_ handler: @escaping (Bool) -> Void) {
        box.value.link = handler
    }

    func send(_ message: Message) {}

    func transmit(_ message: Message, ticket: UpstreamTicket) {
        box.value.transmission?(ticket, .delivered)
    }
}
