import MQTTCodec
import NIOCore

/// Runs one codec case for a fixed wall-clock time and counts packets.
///
/// The loop checks the clock once per unit of work (1,024 encodes or one pass
/// over the stream, a few hundred microseconds), so clock reads cost nothing
/// measurable. Every result is checked against what it must be: that both
/// proves the codec did the work and keeps the optimiser from removing it.
struct CodecMeasurement {
    /// One timed run.
    struct Run {
        var packets: Int
        var elapsed: Duration

        var packetsPerSecond: Double { Double(packets) / elapsed.seconds }
    }

    let codecCase: CodecCase
    let workload: CodecWorkload

    init(_ codecCase: CodecCase) throws {
        self.codecCase = codecCase
        workload = try CodecWorkload(version: codecCase.version, payloadSize: codecCase.payloadSize)
    }

    /// Works until `duration` has passed and returns how much was done.
    func run(for duration: Duration) throws -> Run {
        let clock = ContinuousClock()
        var buffer = ByteBuffer()
        buffer.reserveCapacity(workload.packetSize)
        let processor = workload.makeProcessor()
        let start = clock.now
        let deadline = start + duration
        var packets = 0
        repeat {
            switch codecCase.operation {
            case .encode:
                let batch = 1024
                let written = try workload.encode(count: batch, into: &buffer)
                try check(written, equals: batch * workload.packetSize, "encoded bytes")
                packets += batch
            case .decode:
                try check(try workload.decodeStream(), equals: workload.packetsPerStream * workload.payloadSize, "decoded payload bytes")
                packets += workload.packetsPerStream
            case .decodeChunked:
                try check(try workload.decodeChunks(with: processor), equals: workload.packetsPerStream * workload.payloadSize, "decoded payload bytes")
                packets += workload.packetsPerStream
            }
        } while clock.now < deadline
        return Run(packets: packets, elapsed: start.duration(to: clock.now))
    }

    private func check(_ actual: Int, equals expected: Int, _ what: String) throws {
        guard actual == expected else {
            throw BenchError.toolFailed(tool: "codec \(codecCase.operation.rawValue)", detail: "\(what): \(actual), expected \(expected)")
        }
    }
}
