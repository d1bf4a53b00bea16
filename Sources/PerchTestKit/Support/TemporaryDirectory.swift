import Foundation

/// A private directory under the system temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// The directory's path.
    public var path: String { url.path }

    /// Creates a fresh directory (mode 0700) whose name starts with `prefix`.
    public init(prefix: String = "perch-test") throws {
        var template = Array((NSTemporaryDirectory() as NSString)
            .appendingPathComponent("\(prefix)-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else { throw TestKitError.system(operation: "mkdtemp", errno: errno) }
        let path = template.withUnsafeBufferPointer { buffer in
            // CChar is signed on x86_64 but unsigned on arm64 Linux: convert bit for bit.
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
        }
        self.url = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    @discardableResult
    public func write(_ contents: String, to name: String) throws -> String {
        let path = file(name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Removes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
