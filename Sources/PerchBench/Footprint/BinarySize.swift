import Foundation
import PerchTestKit

/// The size of an executable as built and after `strip`, on a copy.
struct BinarySize {
    var builtBytes: Int
    var strippedBytes: Int

    static func measure(_ executable: String, strip: String = "/usr/bin/strip") async throws -> BinarySize {
        let directory = try TemporaryDirectory(prefix: "perch-bench-strip")
        defer { directory.remove() }
        let copy = directory.file("perchd")
        try FileManager.default.copyItem(atPath: executable, toPath: copy)
        let tool = try ChildProcess.start(strip, arguments: [copy])
        let status = try await tool.waitForExit(timeout: .seconds(120))
        guard status.isSuccess else {
            throw BenchError.toolFailed(tool: "strip", detail: "\(status): \(tool.outputText)")
        }
        return BinarySize(builtBytes: try size(of: executable), strippedBytes: try size(of: copy))
    }

    static func size(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes[.size] as? NSNumber else {
            throw BenchError.toolFailed(tool: "stat", detail: "no size for \(path)")
        }
        return size.intValue
    }
}
