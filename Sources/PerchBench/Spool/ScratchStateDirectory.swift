import Foundation

/// A fresh state directory under a chosen parent (so the benchmark can run on
/// the disk being judged), removed by `remove()`.
struct ScratchStateDirectory {
    let path: String

    init(in parent: String) throws {
        var template = Array((parent as NSString).appendingPathComponent("perch-bench-spool-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else { throw BenchError.system(operation: "mkdtemp in \(parent)", errno: errno) }
        path = template.withUnsafeBufferPointer { buffer in
            // CChar is signed on x86_64 but unsigned on arm64 Linux: convert bit for bit.
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
