import ArgumentParser
import Foundation
import Logging
import PerchConfig
import PerchCore
import Spool
import Storage

/// `perchd spool …`: looks into the spool of a configuration's state directory.
struct SpoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool",
        abstract: "Inspect the store-and-forward spool.",
        subcommands: [DeadLettersCommand.self]
    )
}

/// `perchd spool dead-letters [--requeue]`: lists the messages the broker
/// would not take after they were acknowledged (SPEC §5), or moves them back
/// into the spool. Listing works while perchd runs; re-queueing needs it
/// stopped (the running spool numbers its messages in memory).
struct DeadLettersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List the dead letters, or move them back into the spool (--requeue, with perchd stopped)."
    )

    @OptionGroup var file: ConfigurationFileOption

    @Flag(name: .long, help: "Move every dead letter back into the spool, to be sent after the next start.")
    var requeue = false

    func run() throws {
        let configuration: PerchConfiguration
        do {
            configuration = try ConfigurationLoader().load(path: file.config).configuration
        } catch {
            for problem in error.errors { printToStandardError("error: \(problem)") }
            throw configurationErrorExitCode
        }
        let stateDirectory = configuration.gateway.stateDirectory
        try PerchDatabase.createStateDirectory(stateDirectory)
        var lock: StateDirectoryLock?
        if requeue {
            do {
                lock = try StateDirectoryLock(stateDirectory: stateDirectory)
            } catch {
                printToStandardError("error: \(error); stop perchd first (systemctl stop perchd), then re-queue")
                throw ExitCode(75)  // EX_TEMPFAIL
            }
        }
        defer { _ = lock }
        let store = try SQLiteSpoolStore(stateDirectory: stateDirectory, logger: Logger(label: "storage"))
        defer { store.close() }
        if requeue {
            let moved = try store.requeueDeadLetters(nowMilliseconds: WallClock.unixMilliseconds())
            print("\(moved) dead letter\(moved == 1 ? "" : "s") moved back into the spool; they are sent after perchd starts")
            return
        }
        let letters = try store.deadLetters()
        print("\(letters.count) dead letter\(letters.count == 1 ? "" : "s") in \(PerchDatabase.path(inStateDirectory: stateDirectory))")
        for stored in letters {
            let letter = stored.deadLetter
            let message = letter.message.message
            print(
                "#\(stored.id) dead_at=\(PerchDatabase.timestamp(Date(timeIntervalSince1970: Double(letter.deadMilliseconds) / 1000))) topic=\(message.topic) "
                    + "bytes=\(message.payload.readableBytes) qos=\(message.qos.rawValue) retain=\(message.retain) "
                    + "reason=\"\(letter.reason)\""
            )
        }
    }
}
