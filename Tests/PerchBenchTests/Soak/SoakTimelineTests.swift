import Testing

@testable import perch_bench

/// The soak's bookkeeping: latencies cut into arrival windows, one row per
/// sample, and the RSS line it is judged by.
@Suite struct SoakTimelineTests {
    private static let second: UInt64 = 1_000_000_000

    private func payload(client: UInt32, sequence: UInt32, sentAt sent: UInt64) -> BenchPayload {
        BenchPayload(caseTag: 7, client: client, sequence: sequence, sentNanoseconds: sent)
    }

    @Test("first arrivals fall into the window of their arrival time; a gap leaves an empty window; duplicates count in none")
    func windows() {
        var tally = DeliveryTally(caseTag: 7, clients: 2, expectedMessages: 8)
        let origin: UInt64 = 1_000 * Self.second
        tally.keepWindows(ofNanoseconds: 10 * Self.second, from: origin)
        tally.record(payload(client: 0, sequence: 0, sentAt: origin), arrivedAt: origin + 1_000)
        tally.record(payload(client: 1, sequence: 0, sentAt: origin), arrivedAt: origin + 9 * Self.second)
        tally.record(payload(client: 0, sequence: 0, sentAt: origin), arrivedAt: origin + 11 * Self.second)
        tally.record(payload(client: 0, sequence: 1, sentAt: origin + 29 * Self.second), arrivedAt: origin + 30 * Self.second)
        #expect(Array(tally.latencies(inWindow: 0)) == [1_000, 9 * Self.second])
        #expect(tally.latencies(inWindow: 1).isEmpty)
        #expect(tally.latencies(inWindow: 2).isEmpty)
        #expect(Array(tally.latencies(inWindow: 3)) == [Self.second])
        #expect(tally.latencies(inWindow: 4).isEmpty)
        #expect(tally.duplicates == 1)
    }

    @Test("without keepWindows there are no windows")
    func noWindows() {
        var tally = DeliveryTally(caseTag: 7, clients: 1, expectedMessages: 1)
        tally.record(payload(client: 0, sequence: 0, sentAt: 5), arrivedAt: 10)
        #expect(tally.windowStarts.isEmpty)
        #expect(tally.latencies(inWindow: 0).isEmpty)
        #expect(tally.latencies == [5])
    }

    private func points(rss: [Int], ticksPerInterval: Int = 50) -> [ResourcePoint] {
        rss.enumerated().map { index, bytes in
            ResourcePoint(elapsed: .seconds(10 * index), residentBytes: bytes, anonymousBytes: bytes / 2, cpuTicks: index * ticksPerInterval)
        }
    }

    @Test("row k pairs sample k with window k − 1, and its CPU is the ticks between the samples")
    func rows() throws {
        var tally = DeliveryTally(caseTag: 7, clients: 1, expectedMessages: 4)
        tally.keepWindows(ofNanoseconds: 10 * Self.second, from: 0)
        for (sequence, latency) in [UInt64(3_000), 1_000, 2_000].enumerated() {
            tally.record(payload(client: 0, sequence: UInt32(sequence), sentAt: Self.second), arrivedAt: Self.second + latency)
        }
        let timeline = SoakTimeline(points: points(rss: [10 << 20, 11 << 20, 12 << 20], ticksPerInterval: 500), tally: tally, ticksPerSecond: 100)
        #expect(timeline.rows.count == 2)
        let first = try #require(timeline.rows.first)
        #expect(first.end == .seconds(10))
        #expect(first.residentBytes == 11 << 20)
        #expect(first.anonymousBytes == 11 << 19)
        #expect(first.cpuPercent == 50)
        #expect(first.delivered == 3)
        #expect(abs(first.deliveredPerSecond - 0.3) < 1e-9)
        #expect(first.p50 == 2_000)
        #expect(first.maximum == 3_000)
        #expect(timeline.rows[1].delivered == 0)
        #expect(timeline.rows[1].p99 == nil)
        #expect(timeline.csv().split(separator: "\n").count == 3)
        // CSV numbers carry no thousands separator (the table's do).
        #expect(Formatting.number(12_345.6, decimals: 1, grouped: false) == "12345.6")
        #expect(Formatting.number(12_345.6, decimals: 1) == "12,345.6")
    }

    @Test("a line that rises 100 KiB per sample is not flat; one that wobbles around a level is")
    func trend() throws {
        let tally = DeliveryTally(caseTag: 7, clients: 1, expectedMessages: 0)
        let base = 20 << 20
        // 30 rows after the warm-up, 100 KiB each: about 2.9 MiB over the run.
        let rising = SoakTimeline(points: points(rss: (0..<32).map { base + $0 * 100 * 1024 }), tally: tally, ticksPerSecond: 100)
        let up = try #require(rising.trend(after: .seconds(15)))
        #expect(up.rows == 30)
        #expect(!up.isFlat)
        #expect(abs(up.bytesPerHour - 100 * 1024 * 360) < 1)
        let anonymous = try #require(rising.trend(after: .seconds(15), of: \.anonymousBytes))
        #expect(abs(anonymous.bytesPerHour - 50 * 1024 * 360) < 1)
        let wobbling = SoakTimeline(
            points: points(rss: (0..<32).map { base + ($0 % 2 == 0 ? 300 : -300) * 1024 }), tally: tally, ticksPerSecond: 100)
        let level = try #require(wobbling.trend(after: .seconds(15)))
        #expect(level.isFlat)
        #expect(level.maximumBytes - level.minimumBytes == 600 * 1024)
        #expect(SoakTimeline(points: points(rss: [base, base]), tally: tally, ticksPerSecond: 100).trend(after: .seconds(15)) == nil)
    }
}

/// The soak's report: the per-interval latency it prints and its verdict.
@Suite struct SoakReportTests {
    private static let second: UInt64 = 1_000_000_000

    private func result(rss: [Int], latency: UInt64, sent: Int, delivered: Int) -> (CaseResult, SoakTimeline) {
        var tally = DeliveryTally(caseTag: 3, clients: 1, expectedMessages: delivered)
        tally.keepWindows(ofNanoseconds: 10 * Self.second, from: 0)
        for sequence in 0..<delivered {
            let sent = UInt64(sequence) * 10 * Self.second + Self.second
            tally.record(BenchPayload(caseTag: 3, client: 0, sequence: UInt32(sequence), sentNanoseconds: sent), arrivedAt: sent + latency)
        }
        let points = rss.enumerated().map { ResourcePoint(elapsed: .seconds(10 * $0.offset), residentBytes: $0.element, anonymousBytes: $0.element / 2, cpuTicks: 0) }
        let settings = LoadSettings(path: .perchd(tls: false), clients: 1, rate: 1, isQoS1: true, durationNanoseconds: 0, caseTag: 3)
        let report = LoadReport(
            sent: sent, retransmissions: 0, unacknowledged: 0, sendFailures: 0, refusals: 0, startNanoseconds: 0, sendingNanoseconds: 1)
        let result = CaseResult(settings: settings, report: report, tally: tally, perchd: nil, benchCPUPercent: 0, timeline: points)
        return (result, SoakTimeline(points: points, tally: tally, ticksPerSecond: 100))
    }

    @Test("a flat line with every message delivered passes, and the 2.5 ms latency of each interval is printed")
    func passes() {
        let (result, timeline) = result(rss: Array(repeating: 20 << 20, count: 12), latency: 2_500_000, sent: 11, delivered: 11)
        let text = SoakCommand.render(result, timeline: timeline, warmUp: .seconds(15))
        #expect(SoakCommand.passed(result, timeline: timeline, warmUp: .seconds(15)))
        #expect(text.contains("**Soak: passed**"))
        #expect(text.contains("| p99                         | 2.50 ms | 2.50 ms | 2.50 ms |"), "\(text)")
    }

    @Test("a lost message fails the soak even with a flat line")
    func loss() {
        let (result, timeline) = result(rss: Array(repeating: 20 << 20, count: 12), latency: 1_000, sent: 11, delivered: 10)
        #expect(!SoakCommand.passed(result, timeline: timeline, warmUp: .seconds(15)))
        #expect(SoakCommand.render(result, timeline: timeline, warmUp: .seconds(15)).contains("**Soak: FAILED**"))
    }
}
