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
    /// When set, perchd's RSS and CPU are sampled this often while the case
    /// runs and the latencies are cut into windows of the same length (the soak).
    var sampleInterval: Duration? = nil

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
        var emptyTally = DeliveryTally(caseTag: settings.caseTag, clients: settings.clients, expectedMessages: expectedMessages)
        let counter = try await CaseCounter.open(
            broker: broker, filter: settings.topicFilter, caseTag: settings.caseTag, eventLoopGroup: eventLoopGroup, logger: logger)
        let idle = try perchd?.sample()
        let dropsBefore = perchd?.udpDrops
        let ownBefore = try ProcessSample.read(pid: getpid())
        let clock = ContinuousClock()
        let started = clock.now
        var sampling: Task<[ResourcePoint], Never>?
        if let sampleInterval, let perchd {
            emptyTally.keepWindows(ofNanoseconds: sampleInterval.nanoseconds, from: MonotonicTime.now())
            sampling = Task { await ResourcePoint.record(perchd, every: sampleInterval, from: started) }
        }

        let counting = counter.start(into: emptyTally, stop: stop, expected: expected)
        let report: LoadReport
        do {
            report = try await DedicatedThread.run(name: "bench-generator") { try PublishLoop(settings: settings).run(clients) }
        } catch {
            stop.raise()
            sampling?.cancel()
            _ = await counting.finish()
            throw error
        }
        expected.store(report.sent)
        stop.raise()
        let tally = await counting.finish()
        sampling?.cancel()
        let timeline = await sampling?.value ?? []

        let seconds = started.duration(to: clock.now).seconds
        let ticks = Double(ProcessSample.ticksPerSecond)
        let ownAfter = try ProcessSample.read(pid: getpid())
        var figures: CaseResult.PerchdFigures?
        if let perchd, let idle {
            figures = try perchd.figures(since: idle, seconds: seconds, drops: (dropsBefore, perchd.udpDrops))
        }
        return CaseResult(
            settings: settings, report: report, tally: tally, perchd: figures,
            benchCPUPercent: Double(ownAfter.cpuTicks - ownBefore.cpuTicks) / ticks / seconds * 100, timeline: timeline)
    }
}
