import Logging
import PerchConfig
import PerchCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Handles SIGHUP (`systemctl reload perchd`, SPEC §8): reads and validates the
/// file again and hands a valid one to every `ReloadablePart`, which applies
/// what it can live. A bad file never touches the running gateway: the running
/// configuration stays, and the log and the status document's `reload`
/// section say why. Keys only a restart applies (`restartOnlyChanges`) are
/// named in both, until perchd restarts.
///
/// systemd hears `RELOADING=1` (with `MONOTONIC_USEC`) when a reload starts and
/// `READY=1` when it is over, so `systemctl reload` returns once it is done.
struct ReloadService: Service {
    let configurationPath: String
    /// What perchd started with: the restart-only keys keep these values.
    let initial: PerchConfiguration
    let parts: [any ReloadablePart]
    let notifier: SystemdNotifier
    let state: ReloadState
    /// Told to publish a status document after each reload.
    let statusControl: StatusReporterControl?
    let logger: Logger

    func run() async {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            var running = initial
            for await _ in hangups {
                running = await reload(replacing: running)
            }
        }
    }

    /// One reload: returns the configuration now running.
    func reload(replacing running: PerchConfiguration) async -> PerchConfiguration {
        do { try notifier.reloading() } catch {
            logger.debug("could not tell systemd about the reload", metadata: ["error": "\(error)"])
        }
        defer {
            try? notifier.ready(status: state.current?.lastError == nil ? "running" : "running; the last reload failed")
            statusControl?.publishNow()
        }

        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader().load(path: configurationPath)
        } catch {
            for problem in error.errors { logger.error("reload: \(problem)") }
            logger.error(
                "reload: the configuration file has errors; the running configuration stays",
                metadata: ["file": "\(configurationPath)", "errors": "\(error.errors.count)"]
            )
            state.failed(Self.summary(of: error.errors.map { "\($0)" }))
            return running
        }
        for warning in loaded.warnings { logger.warning("reload: \(warning)") }
        let new = loaded.configuration

        var applied: [String] = []
        var refused: [String] = []
        for part in parts {
            let outcome = await part.apply(new, replacing: running)
            applied += outcome.applied
            for (key, reason) in outcome.refused {
                logger.error("reload: \(key) could not be applied; it keeps its running value", metadata: ["part": "\(part.reloadName)", "reason": "\(reason)"])
                refused.append(key)
            }
        }
        let restartNeeded = initial.restartOnlyChanges(to: new) + refused
        if !restartNeeded.isEmpty {
            logger.warning(
                "reload: changed keys that apply only when perchd restarts",
                metadata: ["keys": "\(restartNeeded.joined(separator: ", "))"]
            )
        }
        logger.notice(
            "reload: configuration file loaded",
            metadata: ["file": "\(configurationPath)", "applied": "\(applied.isEmpty ? "nothing changed" : applied.joined(separator: ", "))"]
        )
        state.succeeded(restartNeeded: restartNeeded)
        return new
    }

    /// The first error, and how many more: one line for the status document.
    static func summary(of errors: [String]) -> String {
        guard let first = errors.first else { return "the file did not load" }
        return errors.count == 1 ? first : "\(first) (and \(errors.count - 1) more)"
    }
}

/// What the reloads so far came to: the `reload` section of the status.
final class ReloadState: Sendable {
    private let status = Mutex<ReloadStatus?>(nil)

    /// `nil` until the first reload.
    var current: ReloadStatus? { status.withLock { $0 } }

    /// A reload that kept the running configuration; what waits for a restart
    /// is still waiting.
    func failed(_ error: String) {
        status.withLock { status in
            status = ReloadStatus(reloads: (status?.reloads ?? 0) + 1, lastError: error, restartNeeded: status?.restartNeeded ?? [])
        }
    }

    func succeeded(restartNeeded: [String]) {
        status.withLock { status in
            status = ReloadStatus(reloads: (status?.reloads ?? 0) + 1, lastError: nil, restartNeeded: restartNeeded)
        }
    }
}
