import Foundation

/// What `/proc/PID` says about a process at one moment (proc(5)).
struct ProcessSample {
    /// Resident set size (`status`: VmRSS), in bytes.
    var residentBytes: Int
    /// Peak resident set size (`status`: VmHWM), in bytes.
    var peakResidentBytes: Int
    /// The anonymous part of the RSS (`status`: RssAnon): heap, stacks, in bytes.
    var anonymousResidentBytes: Int
    /// The file-backed part of the RSS (`status`: RssFile): mapped executables and libraries, in bytes.
    var fileResidentBytes: Int
    /// User plus system CPU time (`stat` fields 14 and 15), in clock ticks.
    var cpuTicks: Int
    /// Bytes the process caused to be sent to the storage layer (`io`: write_bytes).
    var storageWriteBytes: Int

    /// Reads `/proc/<pid>/status`, `/proc/<pid>/stat` and `/proc/<pid>/io`.
    static func read(pid: Int32) throws -> ProcessSample {
        let status = try contents("/proc/\(pid)/status")
        let io = try contents("/proc/\(pid)/io")
        let stat = try contents("/proc/\(pid)/stat")
        return ProcessSample(
            residentBytes: try field("VmRSS:", in: status, path: "status") * 1024,
            peakResidentBytes: try field("VmHWM:", in: status, path: "status") * 1024,
            anonymousResidentBytes: try field("RssAnon:", in: status, path: "status") * 1024,
            fileResidentBytes: try field("RssFile:", in: status, path: "status") * 1024,
            cpuTicks: try cpuTicks(fromStat: stat),
            storageWriteBytes: try field("write_bytes:", in: io, path: "io")
        )
    }

    /// Clock ticks per second, for converting `cpuTicks`.
    static var ticksPerSecond: Int { sysconf(Int32(_SC_CLK_TCK)) }

    private static func contents(_ path: String) throws -> String {
        try ProcFile.read(path)
    }

    /// The first number after `key` on its line (`status` values are in kB).
    private static func field(_ key: String, in text: String, path: String) throws -> Int {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
            let value = line.dropFirst(key.count).split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) })
        else {
            throw BenchError.unreadableProcFile(path: path, detail: "no \(key) line")
        }
        return value
    }

    /// utime + stime. The command name (field 2) may hold spaces and parentheses,
    /// so fields are counted from the last ")".
    private static func cpuTicks(fromStat stat: String) throws -> Int {
        guard let close = stat.lastIndex(of: ")") else {
            throw BenchError.unreadableProcFile(path: "stat", detail: "no command name")
        }
        // After ")" come field 3 (state) onwards: utime is field 14, stime field 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw BenchError.unreadableProcFile(path: "stat", detail: "too few fields")
        }
        return user + system
    }
}
