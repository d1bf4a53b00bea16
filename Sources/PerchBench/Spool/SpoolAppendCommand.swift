import ArgumentParser
import Foundation
import Logging

/// `perch-bench spool-append`: the durable append rate of the spool's disk tier
/// (`SQLiteSpoolStore`, WAL with `synchronous=FULL`: one fsync per commit), by
/// batch size, with the bytes each message costs on disk, the delete rate, and
/// with `--load` the read-back rate of a drain.
struct SpoolAppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool-append",
        abstract: "Durable spool appends (group commits of 1, 64, 512, 4096 messages), deletes and loads on SQLite."
    )

    @Option(help: "Directory on the disk to measure; a fresh state directory is made and removed in it (default: the temporary directory).")
    var directory: String?

    @Option(help: "Seconds of appending per batch size (default: $BENCH_SECONDS, else 2).")
    var seconds: Double?

    @Option(parsing: .upToNextOption, help: "Messages per commit (default: 1 64 512 4096).")
    var batch: [Int] = [1, 64, 512, 4096]

    @Flag(help: "Also read everything back with load(range, limit: 256), as a drain does.")
    var load = false

    func run() throws {
        let parent = directory ?? NSTemporaryDirectory()
        let value = seconds ?? ProcessInfo.processInfo.environment["BENCH_SECONDS"].flatMap(Double.init) ?? 2
        guard value > 0, value <= 3600 else { throw BenchError.invalidSetting("seconds must be in (0, 3600], got \(value)") }
        guard !batch.isEmpty, batch.allSatisfy({ (1...100_000).contains($0) }) else {
            throw BenchError.invalidSetting("batch sizes must be in 1...100000, got \(batch)")
        }
        var logger = Logger(label: "perch-bench")
        logger.logLevel = .warning

        print(
            "Spool disk tier: \(SpoolWorkload.payloadSize)-byte payloads, topics like "
                + "`site/greenhouse-pi/sensors/node-7/temperature`, WAL + synchronous=FULL, "
                + "\(value) s of appends per batch size, in \(parent).\n")
        var table = MarkdownTable([
            ("batch", .right), ("messages", .right), ("appended msgs/s", .right), ("commits/s", .right),
            ("bytes/msg on disk", .right), ("deleted msgs/s", .right), ("delete commits/s", .right),
            ("inventory", .right), ("loaded msgs/s", .right),
        ])
        for size in batch {
            let result = try SpoolAppendRun(
                batchSize: size, duration: .milliseconds(Int((value * 1000).rounded(.up))), parentDirectory: parent,
                measureLoad: load, logger: logger
            ).run()
            table.append([
                "\(size)",
                Formatting.number(Double(result.messages)),
                Formatting.number(Double(result.messages) / result.appendElapsed.seconds),
                Formatting.number(Double(result.commits) / result.appendElapsed.seconds),
                Formatting.number(result.bytesOnDiskPerMessage, decimals: 1),
                Formatting.number(Double(result.messages) / result.deleteElapsed.seconds),
                Formatting.number(Double(result.deleteCommits) / result.deleteElapsed.seconds),
                Formatting.milliseconds(result.inventoryElapsed),
                result.loadElapsed.map { Formatting.number(Double(result.messages) / $0.seconds) } ?? "—",
            ])
        }
        print(table.render())
    }
}
