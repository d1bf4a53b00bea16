import Logging
import ServiceLifecycle

/// Tells systemd that Perch is ready once every part has started, and that it is
/// stopping as soon as a graceful shutdown begins (sd_notify(3)).
///
/// It runs last in the service group, so it starts after the parts before it
/// were handed their `run()`. Parts that bind sockets or open files do so before
/// `run()` suspends; later issues add listeners that report readiness explicitly.
struct SystemdLifecycle: Service {
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async {
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
