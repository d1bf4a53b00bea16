import Logging
import NIOCore
import PerchTestKit

/// The subscriber that counts a drain: `UplinkCounter` (our MQTT client over
/// TLS, straight to the broker, QoS 0 subscription) connected before the
/// messages flow, and a wait for the last of them.
struct DrainCounter {
    let counter: UplinkCounter
    let counting: Task<DeliveryTally, Never>
    let progress: SharedCounter

    /// Connects, subscribes to `filter` and starts counting the case `caseTag` towards `expected` messages.
    static func start(
        broker: MosquittoFixture, filter: String, caseTag: UInt32, clients: Int, expected: Int,
        eventLoopGroup: any EventLoopGroup, logger: Logger
    ) async throws -> DrainCounter {
        let counter = try await UplinkCounter.open(broker: broker, filter: filter, eventLoopGroup: eventLoopGroup, logger: logger)
        let stop = SharedFlag()
        // Raised from the start: the counting task ends as soon as it has `expected` distinct messages.
        stop.raise()
        let progress = SharedCounter(0)
        let tally = DeliveryTally(caseTag: caseTag, clients: clients, expectedMessages: expected)
        let counting = counter.start(into: tally, stop: stop, expected: SharedCounter(expected), progress: progress)
        return DrainCounter(counter: counter, counting: counting, progress: progress)
    }

    /// Waits until `expected` distinct messages are in, or nothing new came for
    /// `stall`, or `limit` passed; then stops the subscriber and returns the tally.
    /// The sleeps pace the look at the progress counter; they bound the wait, not order events.
    func finish(expected: Int, stall: Duration = .seconds(10), limit: Duration = .seconds(600)) async -> DeliveryTally {
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
        // A few more milliseconds for duplicates right behind the last message are not worth waiting for.
        counting.cancel()
        let tally = await counting.value
        await counter.connection.stop()
        return tally
    }
}
