extension PerchdUnderTest {
    /// perchd's figures for a case that ran `seconds` since `idle` was sampled;
    /// `drops` is the kernel's drop count at the measured socket then and now.
    func figures(since idle: ProcessSample, seconds: Double, drops: (before: Int?, after: Int?)) throws -> CaseResult.PerchdFigures {
        let after = try sample()
        let ticks = Double(ProcessSample.ticksPerSecond)
        return CaseResult.PerchdFigures(
            idleResidentBytes: idle.residentBytes,
            peakResidentBytes: after.peakResidentBytes,
            cpuPercent: Double(after.cpuTicks - idle.cpuTicks) / ticks / seconds * 100,
            cpuSeconds: Double(after.cpuTicks - idle.cpuTicks) / ticks,
            udpDrops: drops.after.map { $0 - (drops.before ?? 0) })
    }
}
