import Logging
import NIOCore
import PerchTestKit

/// The counter when the broker speaks only TLS: our own `Uplink` (NIO and
/// swift-nio-ssl) subscribed to the case's topics, its `downlink` stream
/// counted by one task. Slower per message than `RawSubscriber` (an async hop
/// per message, included in the latency), so used only for the TLS rows.
struct UplinkCounter {
    let connection: BenchUplink

    /// Connects and subscribes to `filter`; returns once the SUBACK is in.
    static func open(
        broker: MosquittoFixture, filter: String, eventLoopGroup: any EventLoopGroup, logger: Logger
    ) async throws -> UplinkCounter {
        let connection = try await BenchUplink.connect(
            to: broker, inFlightWindow: 20, eventLoopGroup: eventLoopGroup, logger: logger)
        do {
            _ = try await connection.uplink.subscribe(filter, qos: .atMostOnce)
        } catch {
            await connection.stop()
            throw error
        }
        return UplinkCounter(connection: connection)
    }

    /// Starts counting; `finish` ends it once the generator is done.
    func start(into tally: DeliveryTally, stop: SharedFlag, expected: SharedCounter, progress: SharedCounter)
        -> Task<DeliveryTally, Never>
    {
        let downlink = connection.uplink.downlink
        return Task {
            var tally = tally
            for await message in downlink {
                tally.record(BenchPayload.read(from: message.payload), arrivedAt: MonotonicTime.now())
                progress.store(tally.unique)
                if stop.isRaised && tally.unique >= expected.value { break }
            }
            return tally
        }
    }

    /// Waits until the counting task has everything or nothing arrived for 0.5 s
    /// (at most 5 s), then stops it and the connection. The sleeps bound the wait
    /// for messages that may never come; they synchronise nothing.
    func finish(_ counting: Task<DeliveryTally, Never>, progress: SharedCounter, expected: SharedCounter) async -> DeliveryTally {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        var last = -1
        while progress.value < expected.value, progress.value != last, clock.now < deadline {
            last = progress.value
            try? await Task.sleep(for: .milliseconds(500))
        }
        counting.cancel()
        let tally = await counting.value
        await connection.stop()
        return tally
    }
}
