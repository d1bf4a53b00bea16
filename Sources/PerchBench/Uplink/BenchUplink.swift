import Logging
import NIOCore
import PerchTestKit
import Uplink

/// A running `Uplink` connected to the benchmark's broker, and the task running it.
struct BenchUplink {
    let uplink: Uplink
    private let runner: Task<Void, any Error>

    /// Starts an uplink to `broker` and returns once it is connected (at most `timeout`).
    static func connect(
        to broker: MosquittoFixture, inFlightWindow: Int, eventLoopGroup: any EventLoopGroup,
        logger: Logger, timeout: Duration = .seconds(20)
    ) async throws -> BenchUplink {
        let useTLS = broker.tls != .none
        let configuration = Uplink.Configuration(
            host: broker.host,
            port: broker.port,
            useTLS: useTLS,
            clientID: "perch-bench-" + String(UInt32.random(in: 0...UInt32.max), radix: 36),
            // A fresh session per connection: nothing left over from another case.
            cleanStart: true,
            inFlightWindow: inFlightWindow,
            tls: .init(caFile: useTLS ? broker.certificates.caFile : nil)
        )
        let uplink = Uplink(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        let runner = Task { try await uplink.run() }
        let connected = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await status in uplink.statusChanges() where status.isConnected { return true }
                return false
            }
            group.addTask {
                // A bound on the wait, not synchronisation: the status stream ends the wait normally.
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        guard connected else {
            runner.cancel()
            _ = try? await runner.value
            throw BenchError.notConnected(detail: uplink.status.lastError ?? "no CONNACK within \(timeout)")
        }
        return BenchUplink(uplink: uplink, runner: runner)
    }

    /// Sends DISCONNECT and waits for the uplink to stop.
    func stop() async {
        runner.cancel()
        _ = try? await runner.value
    }
}
