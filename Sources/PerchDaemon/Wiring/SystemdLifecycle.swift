import Logging
import ServiceLifecycle

/// Tells systemd that Perch is ready once every part has started, and that it is
/// stopping as soon as a graceful shutdown begins (sd_notify(3)).
///
/// It runs last in the service group, so it starts after the parts before it
/// were handed their `run()`; READY=1 waits, besides, for every `readiness` check
/// (each listener bound). A check that throws means that part failed to start:
/// no READY is sent, and `run()` throws that part's error, so the group ends
/// with the bind error whichever of the two services finishes first (returning
/// instead would end it with "SystemdLifecycle finished unexpectedly").
struct SystemdLifecycle: Service {
    let notifier: SystemdNotifier
    /// Each returns once its part is ready (listeners bound) and throws if it never will be.
    var readiness: [@Sendable () async throws -> Void] = []
    let logger: Logger

    func run() async throws {
        for check in readiness {
            try await check()
        }
        do {
            try notifier.ready(status: "running")
        } catch {
            logger.warning("could not tell systemd that Perch is ready", metadata: ["error": "\(error)"])
        }
        await gracefulShutdown()
        try? notifier.stopping()
    }
}

extension SystemdLifecycle {
    /// Suspends until a graceful shutdown is triggered (or the task is cancelled).
    private func gracefulShutdown() async {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        await withGracefulShutdownHandler {
            for await _ in stream {}
        } onGracefulShutdown: {
            continuation.finish()
        }
    }
}
