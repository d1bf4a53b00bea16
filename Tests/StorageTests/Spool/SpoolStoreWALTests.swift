import Foundation
import PerchCore
import PerchTestKit
import Storage
import Testing

@Suite("SQLiteSpoolStore: the WAL stays bounded")
struct SpoolStoreWALTests {
    @Test("steady commits keep the WAL near the autocheckpoint size; one huge commit is trimmed back afterwards")
    func walBounded() throws {
        let scratch = try ScratchSpool()
        let store = try scratch.open()
        let wal = scratch.databasePath + "-wal"
        let limit = 4 << 20

        // About 16 MiB in commits of 128 KiB: four autocheckpoints' worth.
        var next: UInt64 = 0
        var largestWAL = 0
        for _ in 0..<128 {
            try store.commit(inserting: makeSpooled(next..<next + 128, payloadSize: 1024), deleting: [])
            next += 128
            largestWAL = max(largestWAL, try fileSize(wal))
        }
        // 1000 pages, plus the one commit that crosses the threshold.
        #expect(largestWAL <= limit + (512 << 10))

        // One commit of about 12 MiB makes the WAL that large for a moment…
        try store.commit(inserting: makeSpooled(next..<next + 3000, payloadSize: 4096), deleting: [])
        next += 3000
        #expect(try fileSize(wal) > 8 << 20)
        // …and the next commits, once its checkpoint is done, truncate it back.
        for _ in 0..<2 {
            try store.commit(inserting: makeSpooled(next..<next + 1), deleting: [])
            next += 1
        }
        #expect(try fileSize(wal) <= limit)
        #expect(try store.inventory().nextSequence == next)
    }
}
