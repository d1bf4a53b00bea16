import ArgumentParser
import MQTTCodec

/// `perch-bench codec`: encode and decode throughput of PUBLISH packets.
struct CodecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "PUBLISH encode/decode throughput (packets/s, MB/s), median of the runs."
    )

    @OptionGroup var timing: TimingOptions

    func run() async throws {
        let duration = try timing.runDuration()
        let runs = try timing.runCount()
        print("Codec: QoS 1 PUBLISH, \(CodecWorkload.topic.utf8.count)-byte topic; median of \(runs) runs of \(duration.seconds) s each.\n")
        var table = MarkdownTable([
            ("operation", .left), ("MQTT", .left), ("payload", .right), ("packet", .right),
            ("packets/s", .right), ("MB/s", .right), ("ns/packet", .right), ("spread", .right),
        ])
        for codecCase in CodecCase.all {
            let measurement = try CodecMeasurement(codecCase)
            // One untimed pass warms caches and the allocator.
            _ = try measurement.run(for: .milliseconds(50))
            var rates: [Double] = []
            for _ in 0..<runs {
                rates.append(try measurement.run(for: duration).packetsPerSecond)
            }
            guard let median = Statistics.median(rates), let low = rates.min(), let high = rates.max() else { continue }
            let packetSize = measurement.workload.packetSize
            table.append([
                codecCase.operation.rawValue,
                codecCase.version.description,
                "\(codecCase.payloadSize) B",
                "\(packetSize) B",
                Formatting.number(median),
                // MB/s of whole packets on the wire, 1 MB = 10^6 bytes.
                Formatting.number(median * Double(packetSize) / 1e6, decimals: 1),
                Formatting.number(1e9 / median, decimals: 1),
                "±" + Formatting.number((high - low) / 2 / median * 100, decimals: 1) + " %",
            ])
        }
        print(table.render())
    }
}
