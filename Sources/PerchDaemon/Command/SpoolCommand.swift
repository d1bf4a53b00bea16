import ArgumentParser
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
                "#\(stored.id) dead_at=\(Self.timestamp(letter.deadMilliseconds)) topic=\(message.topic) "
                    + "bytes=\(message.payload.readableBytes) qos=\(message.qos.rawValue) retain=\(message.retain) "
                    + "reason=\"\(letter.reason)\""
            )
        }
    }

    /// Milliseconds since the epoch as UTC `YYYY-MM-DDTHH:MM:SSZ`.
    static func timestamp(_ milliseconds: Int64) -> String {
        let days = milliseconds / 86_400_000
        let secondsOfDay = (milliseconds / 1000) % 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60))Z"
    }
}
