import ArgumentParser
import Foundation
import MQTTCodec
import PerchTestKit

/// `perch-bench instructions`: instructions per decoded PUBLISH, counted by
/// `valgrind --tool=callgrind` on this executable's `decode-loop`.
///
/// Instruction counts do not depend on the clock, the load or the CPU's
/// frequency: two runs give the same figure to a few instructions, so they
/// show a change in the decoder that timing noise would hide.
struct InstructionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instructions",
        abstract: "Instructions per decoded PUBLISH (callgrind)."
    )

    @Option(help: "Path of valgrind.")
    var valgrind: String = "/usr/bin/valgrind"

    @Option(help: "Passes over the stream in each counted run.")
    var passes: Int = 4

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: valgrind) else {
            print("Instructions per packet: skipped, \(valgrind) is not installed (apt-get install valgrind).\n")
            return
        }
        let directory = try TemporaryDirectory(prefix: "perch-bench-callgrind")
        defer { directory.remove() }
        let executable = try await Self.copyWithoutDebugInfo(
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path, into: directory)
        print("Instructions per decoded packet (callgrind, \(passes) passes over a 256 KiB stream, decoding only):\n")
        var table = MarkdownTable([("MQTT", .left), ("payload", .right), ("decode", .right), ("decode 1460 B chunks", .right)])
        for version in [MQTTProtocolVersion.v3_1_1, .v5] {
            for size in CodecCase.payloadSizes {
                var row = [version.description, "\(size) B"]
                for chunked in [false, true] {
                    let perPacket = try await count(
                        executable: executable, version: version, payloadSize: size, chunked: chunked, in: directory)
                    row.append(Formatting.number(perPacket))
                }
                table.append(row)
            }
        }
        print(table.render())
    }

    private func count(
        executable: String, version: MQTTProtocolVersion, payloadSize: Int, chunked: Bool, in directory: TemporaryDirectory
    ) async throws -> Double {
        let outFile = directory.file("callgrind.\(version)-\(payloadSize)-\(chunked).out")
        var arguments = [
            "--tool=callgrind", "--callgrind-out-file=\(outFile)",
            "--toggle-collect=*callgrindMeasuredDecode*",
            executable, "decode-loop", "--mqtt", version.description,
            "--payload", String(payloadSize), "--passes", String(passes),
        ]
        if chunked { arguments.append("--chunked") }
        let tool = try ChildProcess.start(valgrind, arguments: arguments)
        let status = try await tool.waitForExit(timeout: .seconds(300))
        guard status.isSuccess else {
            throw BenchError.toolFailed(tool: "valgrind", detail: "\(status)\n\(tool.outputTail())")
        }
        guard let packetLine = tool.lines.first(where: { $0.text.hasPrefix("packets ") }),
            let packets = packetLine.text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }), packets > 0
        else {
            throw BenchError.toolFailed(tool: "decode-loop", detail: "no packet count in its output\n\(tool.outputTail())")
        }
        return Double(try Self.collectedInstructions(in: outFile)) / Double(packets)
    }

    /// valgrind 3.19 cannot read the DWARF 5 that Swift 6 emits and gives up;
    /// a copy without debug information keeps the symbol table, which is all
    /// `--toggle-collect` needs.
    static func copyWithoutDebugInfo(_ executable: String, into directory: TemporaryDirectory) async throws -> String {
        let copy = directory.file("perch-bench")
        try FileManager.default.copyItem(atPath: executable, toPath: copy)
        let strip = try ChildProcess.start("/usr/bin/strip", arguments: ["--strip-debug", copy])
        let status = try await strip.waitForExit(timeout: .seconds(120))
        guard status.isSuccess else {
            throw BenchError.toolFailed(tool: "strip --strip-debug", detail: "\(status): \(strip.outputText)")
        }
        return copy
    }

    /// The `totals:` (or `summary:`) line of a callgrind output file: the instructions collected.
    static func collectedInstructions(in file: String) throws -> Int {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw BenchError.toolFailed(tool: "callgrind", detail: "no output file \(file): \(error)")
        }
        for line in text.split(separator: "\n") where line.hasPrefix("totals:") || line.hasPrefix("summary:") {
            if let value = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }), value > 0 {
                return value
            }
        }
        throw BenchError.toolFailed(tool: "callgrind", detail: "no instruction total in \(file) (toggle-collect matched nothing?)")
    }
}
