extension ProcessSample {
    /// CPU time (utime+stime) from this sample to `later`, in % of one core over `seconds`.
    func cpuPercent(until later: ProcessSample, seconds: Double) -> Double {
        Double(later.cpuTicks - cpuTicks) / Double(Self.ticksPerSecond) / max(seconds, 1e-9) * 100
    }
}
