import Logging
import MQTTCodec
import NIOCore
import NIOPosix
import PerchCore
import PerchTestKit
import ServiceLifecycle
import Synchronization
import Testing
import Uplink

/// A wait that did not see its event in time.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Resumes a continuation once, whoever comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<T, any Error>) {
        let taken = continuation.withLock { stored in
            defer { stored = nil }
            return stored
        }
        taken?.resume(with: result)
    }
}

/// Runs `body` and fails with `TimedOut` after `timeout`. The body is left
/// to finish on its own (it is cancelled), so a wait that ignores
/// cancellation cannot hang the test.
func withTimeout<T: Sendable>(
    _ timeout: Duration,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let once = ResumeOnce(continuation)
        let work = Task {
            do { once.resume(with: .success(try await body())) } catch { once.resume(with: .failure(error)) }
        }
        Task {
            try? await Task.sleep(for: timeout)
            work.cancel()
            once.resume(with: .failure(TimedOut(what: what)))
        }
    }
}

/// Waits until the uplink reports a status that satisfies `predicate`.
@discardableResult
func waitForStatus(
    _ uplink: Uplink,
    _ what: String,
    timeout: Duration = .seconds(15),
    where predicate: @escaping @Sendable (UplinkStatus) -> Bool
) async throws -> UplinkStatus {
    let changes = uplink.statusChanges()
    return try await withTimeout(timeout, "status: \(what) (last: \(uplink.status))") {
        for await status in changes where predicate(status) {
            return status
        }
        throw TimedOut(what: "status: \(what); the uplink stopped")
    }
}

/// An uplink configuration for the fixture's broker: its CA in TLS modes, the
/// client certificate for mutual TLS, fast reconnects.
func uplinkConfiguration(
    for broker: MosquittoFixture,
    clientID: String,
    version: MQTTProtocolVersion = .v5
) -> Uplink.Configuration {
    var configuration = Uplink.Configuration(
        host: broker.host,
        port: broker.port,
        useTLS: broker.tls != .none,
        protocolVersion: version,
        clientID: clientID,
        reconnect: .init(minimum: .milliseconds(100), maximum: .milliseconds(400)),
        connectTimeout: .seconds(5),
        brokerDescription: broker.url
    )
    if broker.tls != .none {
        configuration.tls.caFile = broker.certificates.caFile
    }
    if broker.tls == .mutual {
        configuration.tls.certificateFile = broker.certificates.clientCertFile
        configuration.tls.keyFile = broker.certificates.clientKeyFile
    }
    return configuration
}

/// One running uplink: its own event loop, a `ServiceGroup` around it and a log store.
final class RunningUplink: Sendable {
    let uplink: Uplink
    let logs: InMemoryLogStore
    private let group: ServiceGroup
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private let runner: Task<Void, any Error>

    init(_ configuration: Uplink.Configuration) {
        let logs = InMemoryLogStore()
        let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let uplink = Uplink(
            configuration: configuration,
            eventLoopGroup: eventLoopGroup,
            logger: logs.makeLogger(label: "uplink", level: .debug)
        )
        let group = ServiceGroup(
            configuration: .init(services: [uplink], logger: logs.makeLogger(label: "group", level: .info))
        )
        self.logs = logs
        self.uplink = uplink
        self.group = group
        self.eventLoopGroup = eventLoopGroup
        self.runner = Task { try await group.run() }
    }

    /// Graceful shutdown, as on SIGTERM; returns when `run()` has returned.
    /// The event loop keeps running, so the uplink's futures can still be read.
    func stopService() async throws {
        await group.triggerGracefulShutdown()
        let runner = self.runner
        try await withTimeout(.seconds(10), "the uplink to stop") { try await runner.value }
    }

    /// `stopService()`, then the event loop too.
    func stop() async throws {
        try await stopService()
        try await eventLoopGroup.shutdownGracefully()
    }
}

/// Runs an uplink for the duration of `body`, then shuts it down gracefully.
@discardableResult
func withRunningUplink<T: Sendable>(
    _ configuration: Uplink.Configuration,
    _ body: (RunningUplink) async throws -> T
) async throws -> T {
    let running = RunningUplink(configuration)
    do {
        let result = try await body(running)
        try await running.stop()
        return result
    } catch {
        try? await running.stop()
        throw error
    }
}

/// Runs `body` with a broker that is shut down afterwards, whatever happens.
func withBroker<T: Sendable>(
    tls: MosquittoTLSMode = .none,
    credentials: MosquittoCredentials? = nil,
    _ body: (MosquittoFixture) async throws -> T
) async throws -> T {
    let broker = try await MosquittoFixture.start(tls: tls, credentials: credentials)
    do {
        let result = try await body(broker)
        await broker.shutdown()
        return result
    } catch {
        await broker.shutdown()
        throw error
    }
}
