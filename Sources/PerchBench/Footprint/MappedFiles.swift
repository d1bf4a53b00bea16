/// How much of a process's resident memory each mapped file accounts for
/// (`/proc/PID/smaps`), and the shared libraries among them.
///
/// Swift's runtime and Foundation are linked dynamically: their pages count in
/// RSS as file-backed memory, shared with every other Swift process and
/// reclaimable by the kernel, unlike the anonymous memory perchd allocates.
struct MappedFiles {
    /// Resident bytes per mapped file path.
    var residentBytes: [String: Int]

    static func read(pid: Int32) throws -> MappedFiles {
        let smaps = try ProcFile.read("/proc/\(pid)/smaps")
        var resident: [String: Int] = [:]
        var current: String?
        for line in smaps.split(separator: "\n") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let first = fields.first else { continue }
            if first.contains("-"), !first.hasSuffix(":") {
                // A mapping's header: address range, perms, offset, device, inode, path (optional).
                current = fields.count >= 6 && fields[5].hasPrefix("/") ? String(fields[5]) : nil
            } else if first == "Rss:", let path = current, fields.count >= 2, let kilobytes = Int(fields[1]) {
                resident[path, default: 0] += kilobytes * 1024
            }
        }
        return MappedFiles(residentBytes: resident)
    }

    /// The shared libraries that come with the Swift toolchain rather than the distribution.
    var swiftRuntimeLibraries: [String] {
        residentBytes.keys.filter { $0.contains(".so") && $0.contains("/swift/") }.sorted()
    }

    /// The `count` files with the most resident memory, largest first.
    func largest(_ count: Int) -> [(path: String, bytes: Int)] {
        residentBytes.sorted { $0.value > $1.value }.prefix(count).map { ($0.key, $0.value) }
    }
}
