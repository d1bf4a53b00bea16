import ArgumentParser
import MQTTCodec

/// `perch-bench decode-loop`: decodes a fixed number of packets and exits.
/// `perch-bench instructions` runs it under callgrind; not meant to be called by hand.
struct DecodeLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode-loop",
        abstract: "Decodes a stream a fixed number of times (the workload callgrind counts).",
        shouldDisplay: false
    )

    @Option(help: "MQTT protocol level: 3.1.1 or 5.")
    var mqtt: String = "5"

    @Option(help: "Payload bytes per PUBLISH.")
    var payload: Int = 16

    @Option(help: "Passes over the stream.")
    var passes: Int = 10

    @Flag(help: "Feed the stream in 1,460-byte chunks through NIO's processor.")
    var chunked = false

    func run() throws {
        guard let version = MQTTVersionName.parse(mqtt) else {
            throw ValidationError("--mqtt must be 3.1.1 or 5")
        }
        let workload = try CodecWorkload(version: version, payloadSize: payload)
        let payloadBytes = try callgrindMeasuredDecode(workload, passes: passes, chunked: chunked)
        // The packet count is what the caller divides by; the byte count proves the work was done.
        print("packets \(workload.packetsPerStream * passes) payload-bytes \(payloadBytes)")
    }
}

/// The function whose instructions callgrind collects (`--toggle-collect`):
/// everything else in the process, start-up and stream preparation included, is left out.
@inline(never)
func callgrindMeasuredDecode(_ workload: CodecWorkload, passes: Int, chunked: Bool) throws -> Int {
    var payloadBytes = 0
    let processor = workload.makeProcessor()
    for _ in 0..<passes {
        payloadBytes &+= chunked ? try workload.decodeChunks(with: processor) : try workload.decodeStream()
    }
    return payloadBytes
}

/// Protocol levels as written on the command line and in the tables.
enum MQTTVersionName {
    static func parse(_ text: String) -> MQTTProtocolVersion? {
        switch text {
        case "3.1.1", "311", "4": return .v3_1_1
        case "5", "5.0": return .v5
        default: return nil
        }
    }
}
