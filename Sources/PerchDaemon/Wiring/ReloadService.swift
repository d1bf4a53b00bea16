import Logging
import PerchConfig
import ServiceLifecycle
import UnixSignals

/// Handles SIGHUP (`systemctl reload perchd`): the file is read and validated
/// again, and the outcome logged. A bad file never touches the running gateway.
///
/// Applying a valid file to the running parts (log level, status interval, pins,
/// …) is a later piece of work; until then Perch says plainly that a restart
/// applies it. Without this handler SIGHUP's default action would kill perchd.
struct ReloadService: Service {
    let configurationPath: String
    let logger: Logger

    func run() async {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                reload()
            }
        }
    }

    private func reload() {
        do {
            let loaded = try ConfigurationLoader().load(path: configurationPath)
            for warning in loaded.warnings { logger.warning("\(warning)") }
            logger.notice(
                "SIGHUP: the configuration file is valid; restart perchd to apply it (live reload is not implemented yet)",
                metadata: ["file": "\(configurationPath)"]
            )
        } catch {
            for problem in error.errors { logger.error("SIGHUP: \(problem)") }
            logger.error("SIGHUP: the configuration file has errors; the running configuration stays", metadata: ["file": "\(configurationPath)"])
        }
    }
}
