import Logging
import NIOCore
import PerchTestKit

/// The subscriber that counts a drain: our MQTT client over TLS, straight to
/// the broker, subscribed at QoS 0 before the messages flow (`UplinkCounter`'s
/// connection), with one task counting its downlink into a `DeliveryTally`
/// (loss, duplicates) and a `DrainOrderCheck`.
struct DrainCounter {
    /// What the subscriber saw.
    struct Outcome {
        var tally: DeliveryTally
        var order: DrainOrderCheck
    }

    let counter: UplinkCounter
    let counting: Task<Outcome, Never>
    let progress: SharedCounter

    /// Connects, subscribes to `filter` and starts counting the case `caseTag` towards `expected` messages.
    static func start(
        broker: MosquittoFixture, filter: String, caseTag: UInt32, clients: Int, expected: Int,
        resent: Set<DrainMessageKey> = [], eventLoopGroup: any EventLoopGroup, logger: Logger
    ) async throws -> DrainCounter {
        let counter = try await UplinkCounter.open(broker: broker, filter: filter, eventLoopGroup: eventLoopGroup, logger: logger)
        let progress = SharedCounter(0)
        let downlink = counter.connection.uplink.downlink
        let counting = Task {
            var outcome = Outcome(
                tally: DeliveryTally(caseTag: caseTag, clients: clients, expectedMessages: expected),
                order: DrainOrderCheck(clients: clients, resent: resent))
            for await message in downlink {
                let payload = BenchPayload.read(from: message.payload)
                outcome.tally.record(payload, arrivedAt: MonotonicTime.now())
                if let payload, payload.caseTag == caseTag { outcome.order.record(payload) }
                progress.store(outcome.tally.unique)
                if outcome.tally.unique >= expected { break }
            }
            return outcome
        }
        return DrainCounter(counter: counter, counting: counting, progress: progress)
    }

    /// Waits until `expected` distinct messages are in, or nothing new came for
    /// `stall`, or `limit` passed; then stops the subscriber.
    /// The sleeps pace the look at the progress counter; they bound the wait, not order events.
    func finish(expected: Int, stall: Duration = .seconds(10), limit: Duration = .seconds(600)) async -> Outcome {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var last = -1
        var lastChange = clock.now
        while progress.value < expected, clock.now < deadline {
            if progress.value != last {
                last = progress.value
                lastChange = clock.now
            } else if lastChange.duration(to: clock.now) > stall {
                break
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        counting.cancel()
        let outcome = await counting.value
        await counter.connection.stop()
        return outcome
    }
}
