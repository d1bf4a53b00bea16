import Foundation
import Logging
import NIOCore
import PerchTestKit

/// Runs one CoAP case: a fresh perchd serving CoAP, the sensors' warm-up, the
/// counter's subscription, then sending and counting side by side, each on a
/// dedicated thread.
struct CoAPCaseRunner {
    let broker: MosquittoFixture
    let perchdExecutable: String
    /// For the TLS counter (`UplinkCounter`).
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    func run(_ settings: CoAPCase) async throws -> CoAPCaseResult {
        let perchd = try await PerchdUnderTest.start(
            executable: perchdExecutable, broker: broker, gatewayID: "bench-\(settings.caseTag)", receiveBuffer: nil,
            servesCoAP: true)
        do {
            guard let port = perchd.coapPort else { throw BenchError.invalidSetting("perchd started without a CoAP port") }
            let clients = try await DedicatedThread.run(name: "bench-connect") {
                let clients = try CoAPLoadClients(clients: settings.clients, port: port)
                do {
                    try CoAPWarmUp(settings: settings, timeout: .seconds(30)).run(clients)
                } catch {
                    clients.close()
                    throw error
                }
                return clients
            }
            defer { clients.close() }
            let result = try await measure(settings, clients: clients, perchd: perchd)
            await perchd.stop()
            return result
        } catch {
            let tail = perchd.outputTail
            await perchd.stop()
            throw BenchError.notAnswering("\(error)" + (tail.isEmpty ? "" : " (perchd: \(tail))"))
        }
    }

    private func measure(_ settings: CoAPCase, clients: CoAPLoadClients, perchd: PerchdUnderTest) async throws -> CoAPCaseResult {
        let stop = SharedFlag()
        let expected = SharedCounter(Int.max)
        let expectedMessages = Int(Double(settings.rate ?? 100_000) * Double(settings.durationNanoseconds) / 1e9)
        let emptyTally = DeliveryTally(caseTag: settings.caseTag, clients: settings.clients, expectedMessages: expectedMessages)
        let counter = try await CaseCounter.open(
            broker: broker, filter: settings.topicFilter, caseTag: settings.caseTag, eventLoopGroup: eventLoopGroup, logger: logger)
        let idle = try perchd.sample()
        let dropsBefore = perchd.coapUDPDrops
        let ownBefore = try ProcessSample.read(pid: getpid())
        let clock = ContinuousClock()
        let started = clock.now

        let counting = counter.start(into: emptyTally, stop: stop, expected: expected)
        let report: CoAPLoadReport
        do {
            report = try await DedicatedThread.run(name: "bench-generator") { try CoAPPutLoop(settings: settings).run(clients) }
        } catch {
            stop.raise()
            _ = await counting.finish()
            throw error
        }
        expected.store(report.sent)
        stop.raise()
        let tally = await counting.finish()

        let seconds = started.duration(to: clock.now).seconds
        let ownAfter = try ProcessSample.read(pid: getpid())
        return CoAPCaseResult(
            settings: settings, report: report, tally: tally,
            perchd: try perchd.figures(since: idle, seconds: seconds, drops: (dropsBefore, perchd.coapUDPDrops)),
            benchCPUPercent: Double(ownAfter.cpuTicks - ownBefore.cpuTicks) / Double(ProcessSample.ticksPerSecond) / seconds * 100)
    }
}
