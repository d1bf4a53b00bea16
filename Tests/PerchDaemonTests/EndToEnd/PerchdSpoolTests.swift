import Foundation
import PerchTestKit
import Testing

/// The spool as perchd runs it: what a damaged state file does to a start.
@Suite("perchd: the spool's state file", .serialized)
struct PerchdSpoolTests {
    static let wait: Duration = .seconds(20)

    @Test("a damaged perch.db is moved aside, logged and reported in the status; perchd starts with a fresh one")
    func corruptFileMovedAside() async throws {
        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let directory = try TemporaryDirectory(prefix: "perchd-e2e")
        // Not a database at all: what a torn write or a bad SD card can leave.
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: directory.file("perch.db")))
        let perchd = try RunningPerchd.start(against: broker, in: directory)
        defer { Task { await perchd.cleanUp(); await broker.shutdown() } }

        let line = try await perchd.process.waitForLine(containing: "moved aside", timeout: Self.wait)
        #expect(line.contains("perch.db.corrupt-"), "log line: \(line)")
        let subscription = try await broker.startSubscription(topic: perchd.statusTopic)
        let status = try await subscription.next(timeout: Self.wait) { $0.statusState == "online" }
        let json = try #require(status.jsonObject)
        let spool = try #require(json["spool"] as? [String: Any])
        #expect((spool["recovered_from"] as? String)?.contains("perch.db.corrupt-") == true)
        #expect(spool["messages"] as? Int == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains("perch.db"))
        #expect(files.contains { $0.hasPrefix("perch.db.corrupt-") })
        #expect(perchd.process.isRunning)
    }
}
