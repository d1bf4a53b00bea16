import Foundation

/// The shared libraries a running process has mapped (`/proc/PID/maps`), with
/// their file sizes: Swift's runtime is linked dynamically, so it must be
/// installed next to `perchd` and counts towards what a Pi has to carry.
struct SharedLibraries {
    var paths: [String]

    static func mapped(by pid: Int32) throws -> SharedLibraries {
        let path = "/proc/\(pid)/maps"
        let maps: String
        do {
            maps = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw BenchError.unreadableProcFile(path: path, detail: "\(error)")
        }
        var seen = Set<String>()
        for line in maps.split(separator: "\n") {
            // The path is the sixth field; it may be absent (anonymous mappings).
            guard let slash = line.firstIndex(of: "/") else { continue }
            let file = String(line[slash...])
            if file.contains(".so") { seen.insert(file) }
        }
        return SharedLibraries(paths: seen.sorted())
    }

    /// Libraries that come with the Swift toolchain rather than the distribution.
    var swiftRuntime: [String] {
        paths.filter { $0.contains("/swift/") || $0.contains("libswift") || $0.contains("libFoundation") || $0.contains("lib_Foundation") || $0.contains("libdispatch") || $0.contains("libBlocksRuntime") }
    }

    /// The total size on disk of `paths`.
    static func totalBytes(_ paths: [String]) -> Int {
        paths.reduce(0) { $0 + ((try? BinarySize.size(of: $1)) ?? 0) }
    }
}
