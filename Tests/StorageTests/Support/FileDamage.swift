import Foundation

/// Overwrites `count` pages of the SQLite file at `path` (4 KiB pages, numbered
/// from 1 as SQLite does), starting with page `first`, with a pattern that is no
/// valid B-tree page. The header (page 1) is left alone unless `first` is 1.
func overwritePages(of path: String, from first: Int, count: Int, pageSize: Int = 4096) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64((first - 1) * pageSize))
    try handle.write(contentsOf: Data(repeating: 0xA5, count: count * pageSize))
    try handle.synchronize()
}

/// Cuts the file at `path` to `length` bytes.
func truncate(_ path: String, to length: Int) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(length))
}

/// The size of the file at `path`, in bytes.
func fileSize(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.size] as? NSNumber)?.intValue ?? 0
}
