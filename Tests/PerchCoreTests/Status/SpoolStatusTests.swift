import Foundation
import PerchCore
import Testing

@Suite("Status JSON: the spool section (SPEC §7)")
struct SpoolStatusTests {
    static func section(_ status: SpoolStatus) throws -> [String: Any] {
        let text = StatusReport(state: .online, gateway: "gw", version: "0.1.0", uptimeSeconds: 1, spool: status).jsonText()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return try #require(object["spool"] as? [String: Any])
    }

    @Test("SPEC §7's fields, plus rejected and last_error (null while the disk is fine)")
    func fieldNames() throws {
        let section = try Self.section(SpoolStatus(messages: 12, bytes: 3400, oldestAgeSeconds: 61, dropped: 2, rejected: 5))
        #expect(section["messages"] as? Int == 12)
        #expect(section["bytes"] as? Int == 3400)
        #expect(section["oldest_age_s"] as? Int == 61)
        #expect(section["dropped"] as? Int == 2)
        #expect(section["rejected"] as? Int == 5)
        #expect(section["last_error"] is NSNull)
        #expect(section["recovered_from"] == nil)
        #expect(section["dead_lettered"] as? Int == 0)
        #expect(section.count == 7)
    }

    @Test("a disk error and a recovered file are shown")
    func errorAndRecovery() throws {
        let status = SpoolStatus(
            messages: 0, bytes: 0, oldestAgeSeconds: 0, dropped: 0, lastError: "disk full",
            recoveredFrom: "/var/lib/perch/perch.db.corrupt-20261122T010203Z")
        let section = try Self.section(status)
        #expect(section["last_error"] as? String == "disk full")
        #expect(section["recovered_from"] as? String == "/var/lib/perch/perch.db.corrupt-20261122T010203Z")
    }
}
