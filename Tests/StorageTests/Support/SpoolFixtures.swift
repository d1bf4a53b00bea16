import MQTTCodec
import NIOCore
import PerchCore
import PerchTestKit
import Storage

/// A state directory with a spool store in it, for one test.
final class ScratchSpool {
    let directory: TemporaryDirectory
    let logs = InMemoryLogStore()

    init() throws {
        directory = try TemporaryDirectory(prefix: "perch-spool")
    }

    var databasePath: String { PerchDatabase.path(inStateDirectory: directory.path) }

    /// Opens a store on the directory's `perch.db` (creating it the first time).
    func open() throws -> SQLiteSpoolStore {
        try SQLiteSpoolStore(stateDirectory: directory.path, logger: logs.makeLogger(label: "spool"))
    }

    deinit { directory.remove() }
}

/// A message with sequence `sequence`, a realistic topic and a payload of
/// `payloadSize` bytes that depend on the sequence, arrived at `1_700_000_000_000 + sequence`.
func makeSpooled(
    _ sequence: UInt64, payloadSize: Int = 16, qos: MQTTQoS = .atLeastOnce, arrival: Int64? = nil
) -> SpooledMessage {
    // Filled in one call (a byte-by-byte map is slow in a debug build), then stamped with the sequence.
    var payload = ByteBuffer(repeating: UInt8(truncatingIfNeeded: sequence &* 31), count: payloadSize)
    if payloadSize >= 8 { payload.setInteger(sequence, at: 0) }
    let message = Message(
        topic: "site/greenhouse-pi/sensors/node-\(sequence % 7)/temperature", payload: payload, qos: qos)
    return SpooledMessage(
        sequence: sequence, message: message, arrivalMilliseconds: arrival ?? 1_700_000_000_000 &+ Int64(truncatingIfNeeded: sequence))
}

/// `makeSpooled` for every sequence in `sequences`.
func makeSpooled<Sequences: Sequence<UInt64>>(_ sequences: Sequences, payloadSize: Int = 16) -> [SpooledMessage] {
    sequences.map { makeSpooled($0, payloadSize: payloadSize) }
}

extension SQLiteSpoolStore {
    /// Every stored message, in order.
    func loadAll() throws -> [SpooledMessage] {
        try load(0...UInt64(Int64.max), limit: Int.max)
    }

    /// Every stored sequence, in order.
    func storedSequences() throws -> [UInt64] {
        try loadAll().map(\.sequence)
    }
}
