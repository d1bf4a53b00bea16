import Foundation

/// Reads files under `/proc` to their end.
///
/// `String(contentsOfFile:)` trusts the file's size, which is 0 for `/proc`
/// files, and can stop after the first page; `maps` and `smaps` are longer.
enum ProcFile {
    static func read(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BenchError.unreadableProcFile(path: path, detail: "cannot open")
        }
        defer { try? handle.close() }
        do {
            let data = try handle.readToEnd() ?? Data()
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw BenchError.unreadableProcFile(path: path, detail: "\(error)")
        }
    }
}
