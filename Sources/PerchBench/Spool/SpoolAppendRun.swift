import Foundation
import Logging
import PerchCore
import Storage

/// What one batch size gave.
struct SpoolAppendResult {
    var batchSize: Int
    var messages: Int
    var commits: Int
    var appendElapsed: Duration
    /// `perch.db` growth per message once the WAL is checkpointed into it.
    var bytesOnDiskPerMessage: Double
    /// Messages read back with `load(range, limit: 256)`, and how long that took; nil without `--load`.
    var loadElapsed: Duration?
    /// How long `inventory()` took over everything appended.
    var inventoryElapsed: Duration
    /// Every message deleted again, in commits of one range of `batchSize`.
    var deleteCommits: Int
    var deleteElapsed: Duration
}

/// Appends batches of one size to a fresh `perch.db` for a while, then reads
/// them back and deletes them, as the spool does through an outage and a drain.
struct SpoolAppendRun {
    var batchSize: Int
    var duration: Duration
    var parentDirectory: String
    var measureLoad: Bool
    var logger: Logger

    func run() throws -> SpoolAppendResult {
        let directory = try ScratchStateDirectory(in: parentDirectory)
        defer { directory.remove() }
        let file = PerchDatabase.path(inStateDirectory: directory.path)
        var store = try SQLiteSpoolStore(stateDirectory: directory.path, logger: logger)
        // Closed once empty, so the baseline is the checkpointed file, like the figure below.
        store.close()
        let emptySize = try Self.size(of: file)
        store = try SQLiteSpoolStore(stateDirectory: directory.path, logger: logger)

        // The batch is built once; each commit only renumbers it, as the spool hands over numbered messages.
        let messages = SpoolWorkload.messages(count: batchSize)
        var batch = messages.enumerated().map { SpooledMessage(sequence: UInt64($0.offset), message: $0.element, arrivalMilliseconds: 0) }
        var next: UInt64 = 0
        var commits = 0
        let clock = ContinuousClock()
        let start = clock.now
        let arrival = Int64(Date().timeIntervalSince1970 * 1000)
        while clock.now - start < duration {
            for index in batch.indices {
                batch[index].sequence = next + UInt64(index)
                batch[index].arrivalMilliseconds = arrival
            }
            try store.commit(inserting: batch, deleting: [])
            next += UInt64(batchSize)
            commits += 1
        }
        let appendElapsed = clock.now - start

        // Closing checkpoints the WAL into the file and removes it: what is left is what the rows cost.
        store.close()
        let bytesPerMessage = Double(try Self.size(of: file) - emptySize) / Double(next)
        store = try SQLiteSpoolStore(stateDirectory: directory.path, logger: logger)

        let inventoryStart = clock.now
        let inventory = try store.inventory()
        let inventoryElapsed = clock.now - inventoryStart
        guard inventory.nextSequence == next else {
            throw BenchError.invalidSetting("inventory found \(inventory.nextSequence) sequences, \(next) were appended")
        }

        var loadElapsed: Duration?
        if measureLoad {
            let loadStart = clock.now
            var from: UInt64 = 0
            var loaded = 0
            while from < next {
                let page = try store.load(from...(next - 1), limit: SpoolSegment.maximumCount)
                guard let last = page.last else { break }
                loaded += page.count
                from = last.sequence + 1
            }
            loadElapsed = clock.now - loadStart
            guard loaded == Int(next) else {
                throw BenchError.invalidSetting("loaded \(loaded) messages, \(next) were appended")
            }
        }

        let deleteStart = clock.now
        var deleteCommits = 0
        var from: UInt64 = 0
        while from < next {
            try store.commit(inserting: [], deleting: [from...(from + UInt64(batchSize) - 1)])
            from += UInt64(batchSize)
            deleteCommits += 1
        }
        let deleteElapsed = clock.now - deleteStart
        store.close()

        return SpoolAppendResult(
            batchSize: batchSize, messages: Int(next), commits: commits, appendElapsed: appendElapsed,
            bytesOnDiskPerMessage: bytesPerMessage, loadElapsed: loadElapsed, inventoryElapsed: inventoryElapsed,
            deleteCommits: deleteCommits, deleteElapsed: deleteElapsed)
    }

    private static func size(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }
}
