internal import CLibCoAP
import Dispatch
import Logging
import PerchCore
import ServiceLifecycle

/// The CoAP server of SPEC §4 on libcoap3: `/ps/{topic}` publishes, GET returns
/// the last message seen, `/.well-known/core` lists the resources.
///
/// libcoap 4.3.1 is not thread-safe, so one `CoAPEngine` owns the context and
/// every libcoap call happens on its serial dispatch queue; the public methods
/// only hand work to that queue. Run it as a `Service`: `run()` binds, serves
/// until graceful shutdown, then frees the context.
public final class CoAPServer: Service, Sendable {
    /// What the server was built with.
    public let configuration: Configuration

    private let engine: CoAPEngine
    private let listening = ListeningState<ListenAddress, CoAPServerError>()
    private let secureListening = ListeningState<ListenAddress, CoAPServerError>()
    private let logger: Logger

    /// Creates a server; nothing is bound until `run()`.
    /// The libcoap perchd runs on, such as `4.3.1` (Debian 12) or `4.3.4`
    /// (Debian 13): where the two answer a datagram differently, tests and
    /// logs need to know which. (`coap_package_version` says `libcoap 4.3.4`.)
    public static var libcoapVersion: String {
        let text = String(cString: coap_package_version())
        return text.split(separator: " ").last.map(String.init) ?? text
    }

    public init(configuration: Configuration, upstream: any CoAPUpstream, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.engine = CoAPEngine(configuration: configuration, upstream: upstream, logger: logger)
    }

    /// Binds every listener (`listeningAddresses()` and
    /// `secureListeningAddresses()` return from then on), serves
    /// until graceful shutdown or cancellation, then frees the libcoap context;
    /// confirmable requests still waiting for the upstream get no answer (their
    /// sensors retry, SPEC §5 at-least-once).
    ///
    /// Throws `CoAPServerError` when a listener cannot be bound, or when `dtls`
    /// is configured and libcoap has no DTLS: Perch does not run half a gateway.
    /// With no listen address at all it serves nothing until shutdown.
    public func run() async throws {
        let engine = self.engine
        let started: Result<CoAPEngine.BoundAddresses, CoAPServerError> = await withCheckedContinuation { continuation in
            engine.queue.async {
                do throws(CoAPServerError) {
                    continuation.resume(returning: .success(try engine.start()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        switch started {
        case let .success(addresses):
            listening.succeed(addresses.plain)
            secureListening.succeed(addresses.secure)
        case let .failure(error):
            listening.fail(error)
            secureListening.fail(error)
            throw error
        }
        // Returns on graceful shutdown, and (throwing) on cancellation.
        try? await gracefulShutdown()
        let unsubscribing = await withCheckedContinuation { (continuation: CheckedContinuation<Task<Void, Never>?, Never>) in
            engine.queue.async {
                engine.stop()
                continuation.resume(returning: engine.subscriptionTail)
            }
        }
        // Every observed topic's upstream subscription is released before the
        // uplink stops (it stops after this server): the unsubscribes queued
        // by `stop()` run in order, and each fails at once if the link is down.
        await unsubscribing?.value
        logger.info("CoAP server stopped")
    }

    /// Waits until every listener is bound and returns the `coap://` addresses,
    /// with the ports chosen where 0 was asked (empty when plain CoAP is off);
    /// throws when binding failed.
    public func listeningAddresses() async throws -> [ListenAddress] {
        try await listening.wait()
    }

    /// Waits until every listener is bound and returns the `coaps://` (DTLS)
    /// addresses, with the ports chosen where 0 was asked (empty without
    /// `dtls`); throws when binding failed.
    public func secureListeningAddresses() async throws -> [ListenAddress] {
        try await secureListening.wait()
    }

    /// Tells the server about a message from the broker (downlink), so GET
    /// `/ps/{topic}` can return it. The topic is the full upstream topic.
    public func deliver(_ message: Message) {
        let engine = self.engine
        engine.queue.async { engine.remember(message) }
    }

    /// Takes new aliases (`coap.resources`, path → local topic) while serving:
    /// see `CoAPEngine.reconfigureAliases`. Returns whether anything changed.
    public func reconfigure(aliases: [String: String]) async -> Bool {
        let engine = self.engine
        return await withCheckedContinuation { continuation in
            engine.queue.async { continuation.resume(returning: engine.reconfigureAliases(aliases)) }
        }
    }

    /// Runs `job` on the engine's queue, behind whatever libcoap work is queued
    /// there: perchd's watchdog uses it to see that the queue still turns.
    public func runOnQueue(_ job: @escaping @Sendable () -> Void) {
        engine.queue.async(execute: job)
    }

    /// The request, invalid and observer counters, read on the engine's queue.
    public func statistics() async -> CoAPServerStatistics {
        let engine = self.engine
        return await withCheckedContinuation { continuation in
            engine.queue.async {
                continuation.resume(returning: engine.currentStatistics())
            }
        }
    }
}
