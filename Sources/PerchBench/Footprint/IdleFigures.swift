import Foundation

/// RSS, CPU and disk writes of an idle process.
struct IdleFigures {
    /// The sample taken after settling: RSS and its parts.
    var settled: ProcessSample
    var peakResident: Int
    var cpuTicks: Int
    var cpuPercent: Double
    var idleWriteBytes: Int
    var totalWriteBytes: Int
    var mappedFiles: MappedFiles

    /// Waits `settle`, reads RSS, then samples CPU and writes across `idle`.
    /// The sleeps are the measurement windows themselves, not synchronisation.
    static func measure(pid: Int32, settle: Duration, idle: Duration) async throws -> IdleFigures {
        try await Task.sleep(for: settle)
        let settled = try ProcessSample.read(pid: pid)
        let mappedFiles = try MappedFiles.read(pid: pid)
        let clock = ContinuousClock()
        let start = clock.now
        try await Task.sleep(for: idle)
        let end = try ProcessSample.read(pid: pid)
        let elapsed = start.duration(to: clock.now).seconds
        let ticks = end.cpuTicks - settled.cpuTicks
        return IdleFigures(
            settled: settled,
            peakResident: end.peakResidentBytes,
            cpuTicks: ticks,
            cpuPercent: Double(ticks) / Double(ProcessSample.ticksPerSecond) / elapsed * 100,
            idleWriteBytes: end.storageWriteBytes - settled.storageWriteBytes,
            totalWriteBytes: end.storageWriteBytes,
            mappedFiles: mappedFiles
        )
    }
}
