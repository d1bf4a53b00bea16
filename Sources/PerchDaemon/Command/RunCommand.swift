import ArgumentParser
import Foundation
import Logging
import PerchConfig

/// `perchd [--config FILE]`: runs the gateway until SIGTERM or SIGINT.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway (the default command)."
    )

    @OptionGroup var file: ConfigurationFileOption

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader().load(path: file.config)
        } catch {
            // Logging is not set up yet: its level comes from the file.
            for problem in error.errors { printToStandardError("error: \(problem)") }
            throw configurationErrorExitCode
        }

        // One level for every logger, so that a reload can change it.
        let logLevel = LogLevelControl(Logger.Level(loaded.configuration.log.level))
        LoggingSystem.bootstrap(JournalLogHandler.factory(level: logLevel, environment: environment))
        let logger = Logger(label: "perchd")
        for warning in loaded.warnings {
            logger.warning("\(warning)")
        }

        // A file-size limit (RLIMIT_FSIZE) must make a write fail with EFBIG, which
        // the spool reports as a full disk, rather than kill perchd with SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)

        let daemon = Daemon(
            configuration: loaded.configuration,
            configurationPath: file.config,
            environment: environment,
            logLevel: logLevel,
            logger: logger
        )
        do {
            try await daemon.run()
        } catch {
            // The daemon has logged why in one line; ArgumentParser would add
            // a second, longer one.
            throw ExitCode.failure
        }
    }
}

extension Logger.Level {
    /// `log.level` in swift-log's terms; the names are the same.
    init(_ level: LogLevel) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        }
    }
}
