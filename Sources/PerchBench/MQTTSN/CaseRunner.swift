import Foundation
import Logging
import NIOCore
import PerchTestKit

/// Runs one case: perchd (if the path has one), the clients' handshake, the
/// counter's subscription, then publishing and counting side by side, each on a
/// dedicated thread.
struct CaseRunner {
    let broker: MosquittoFixture
    let perchdExecutable: String
    /// `mqttsn.receive_buffer` for perchd's configuration; nil when perchd has no such key.
    let receiveBuffer: String?
    /// For the TLS counter (`UplinkCounter`).
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    func run(_ settings: LoadSettings) async throws -> CaseResult {
        switch settings.path {
        case .directMQTT:
            let port = broker.port
            let clients = try await DedicatedThread.run(name: "bench-connect") {
                try MQTTLoadClients(settings: settings, port: port, timeout: .seconds(10))
            }
            defer { clients.close() }
            return try await measure(settings, clients: clients, perchd: nil)
        case .perchd:
            let perchd = try await PerchdUnderTest.start(
                executable: perchdExecutable, broker: broker, gatewayID: "bench-\(settings.caseTag)",
                receiveBuffer: receiveBuffer)
            do {
                let port = perchd.port
                let clients = try await DedicatedThread.run(name: "bench-connect") {
                    let clients = try MQTTSNLoadClients(clients: settings.clients, port: port)
                    try clients.handshake(settings: settings, timeout: .seconds(30))
                    return clients
                }
                defer { clients.close() }
                let result = try await measure(settings, clients: clients, perchd: perchd)
                await perchd.stop()
                return result
            } catch {
                let tail = perchd.outputTail
                await perchd.stop()
                throw BenchError.handshakeFailed("\(error)" + (tail.isEmpty ? "" : " (perchd: \(tail))"))
            }
        }
    }

    private func measure(
        _ settings: LoadSettings, clients: some LoadTransport & Sendable, perchd: PerchdUnderTest?
    ) async throws -> CaseResult {
        let stop = SharedFlag()
        let expected = SharedCounter(Int.max)
        let expectedMessages = Int(Double(settings.rate ?? 200_000) * Double(settings.durationNanoseconds) / 1e9)
        let emptyTally = DeliveryTally(caseTag: settings.caseTag, clients: settings.clients, expectedMessages: expectedMessages)
        let counter = try await Counter.open(self, settings: settings)
        let idle = try perchd?.sample()
        let dropsBefore = perchd?.udpDrops
        let ownBefore = try ProcessSample.read(pid: getpid())
        let clock = ContinuousClock()
        let started = clock.now

        let counting = counter.start(into: emptyTally, stop: stop, expected: expected)
        let report: LoadReport
        do {
            report = try await DedicatedThread.run(name: "bench-generator") { try PublishLoop(settings: settings).run(clients) }
        } catch {
            stop.raise()
            _ = await counting.finish()
            throw error
        }
        expected.store(report.sent)
        stop.raise()
        let tally = await counting.finish()

        let seconds = started.duration(to: clock.now).seconds
        let ticks = Double(ProcessSample.ticksPerSecond)
        let ownAfter = try ProcessSample.read(pid: getpid())
        var figures: CaseResult.PerchdFigures?
        if let perchd, let idle {
            let after = try perchd.sample()
            figures = CaseResult.PerchdFigures(
                idleResidentBytes: idle.residentBytes,
                peakResidentBytes: after.peakResidentBytes,
                cpuPercent: Double(after.cpuTicks - idle.cpuTicks) / ticks / seconds * 100,
                cpuSeconds: Double(after.cpuTicks - idle.cpuTicks) / ticks,
                udpDrops: perchd.udpDrops.map { $0 - (dropsBefore ?? 0) })
        }
        return CaseResult(
            settings: settings, report: report, tally: tally, perchd: figures,
            benchCPUPercent: Double(ownAfter.cpuTicks - ownBefore.cpuTicks) / ticks / seconds * 100)
    }
}

/// The counter of one case: `RawSubscriber` on a plain broker, `UplinkCounter` on a TLS one.
private enum Counter {
    case raw(Int32)
    case uplink(UplinkCounter)

    static func open(_ runner: CaseRunner, settings: LoadSettings) async throws -> Counter {
        let broker = runner.broker
        if broker.tls != .none {
            return .uplink(
                try await UplinkCounter.open(
                    broker: broker, filter: settings.topicFilter, eventLoopGroup: runner.eventLoopGroup, logger: runner.logger))
        }
        let port = broker.port
        return .raw(
            try await DedicatedThread.run(name: "bench-subscribe") {
                try RawSubscriber.open(port: port, filter: settings.topicFilter, clientID: "bench-counter-\(settings.caseTag)")
            })
    }

    /// Starts counting in the background.
    func start(into tally: DeliveryTally, stop: SharedFlag, expected: SharedCounter) -> Counting {
        switch self {
        case .raw(let fd):
            let task = Task {
                (try? await DedicatedThread.run(name: "bench-counter") {
                    RawSubscriber.count(fd: fd, into: tally, stop: stop, expected: expected)
                }) ?? tally
            }
            return Counting(finish: { await task.value })
        case .uplink(let counter):
            let progress = SharedCounter(0)
            let task = counter.start(into: tally, stop: stop, expected: expected, progress: progress)
            return Counting(finish: { await counter.finish(task, progress: progress, expected: expected) })
        }
    }
}

/// A counter at work; `finish` returns its tally once the stop flag is raised and the stream has drained.
private struct Counting {
    let finish: () async -> DeliveryTally
}
