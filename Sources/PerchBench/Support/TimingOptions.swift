import ArgumentParser
import Foundation

/// How long each measurement runs and how many runs give the median.
///
/// Defaults come from `BENCH_SECONDS` and `BENCH_RUNS` in the environment, so
/// `make bench BENCH_SECONDS=0.2` gives a quick (noisier) pass.
struct TimingOptions: ParsableArguments {
    @Option(help: "Seconds per run (default: $BENCH_SECONDS, else 1).")
    var seconds: Double?

    @Option(help: "Runs per case; the median is reported (default: $BENCH_RUNS, else 5).")
    var runs: Int?

    /// The duration of one run.
    func runDuration() throws -> Duration {
        let value = seconds ?? Self.environmentNumber("BENCH_SECONDS") ?? 1
        guard value > 0, value <= 3600 else { throw BenchError.invalidSetting("seconds must be in (0, 3600], got \(value)") }
        return .milliseconds(Int((value * 1000).rounded(.up)))
    }

    /// How many runs each case gets.
    func runCount() throws -> Int {
        let value = runs ?? Self.environmentNumber("BENCH_RUNS").flatMap { Int(exactly: $0) } ?? 5
        guard (1...101).contains(value) else { throw BenchError.invalidSetting("runs must be in 1...101, got \(value)") }
        return value
    }

    private static func environmentNumber(_ name: String) -> Double? {
        ProcessInfo.processInfo.environment[name].flatMap { Double($0) }
    }
}
