import Logging
import NIOCore
import PerchTestKit

/// The counter of one case (MQTT-SN or CoAP): `RawSubscriber` on a plain broker, `UplinkCounter` on a TLS one.
enum CaseCounter {
    case raw(Int32)
    case uplink(UplinkCounter)

    /// Subscribes to `filter` on `broker`; returns once the subscription is in place.
    static func open(
        broker: MosquittoFixture, filter: String, caseTag: UInt32, eventLoopGroup: any EventLoopGroup, logger: Logger
    ) async throws -> CaseCounter {
        if broker.tls != .none {
            return .uplink(try await UplinkCounter.open(broker: broker, filter: filter, eventLoopGroup: eventLoopGroup, logger: logger))
        }
        let port = broker.port
        return .raw(
            try await DedicatedThread.run(name: "bench-subscribe") {
                try RawSubscriber.open(port: port, filter: filter, clientID: "bench-counter-\(caseTag)")
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
struct Counting {
    let finish: () async -> DeliveryTally
}
