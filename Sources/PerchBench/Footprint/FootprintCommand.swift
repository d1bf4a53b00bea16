import ArgumentParser
import Foundation
import PerchTestKit

/// `perch-bench footprint`: perchd's stripped size, idle memory, idle CPU and
/// idle disk writes, connected over TLS to a local Mosquitto.
struct FootprintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "footprint",
        abstract: "perchd: stripped binary size, idle RSS, idle CPU and disk writes over TLS."
    )

    @Option(help: "The perchd to measure (default: $PERCHD_BINARY, else the one next to perch-bench).")
    var perchd: String?

    @Option(help: "Seconds connected before RSS is read (default: $BENCH_SETTLE_SECONDS, else 10).")
    var settle: Double?

    @Option(help: "Seconds over which idle CPU and disk writes are measured (default: $BENCH_IDLE_SECONDS, else 30).")
    var idle: Double?

    /// The issue tracker's targets.
    static let binaryTarget = 15 * 1_000_000
    static let residentTarget = 20 * 1_000_000

    func run() async throws {
        let executable = try perchd ?? PerchdBinary.url().path
        let settleTime = try Self.duration(settle, environment: "BENCH_SETTLE_SECONDS", default: 10)
        let idleTime = try Self.duration(idle, environment: "BENCH_IDLE_SECONDS", default: 30)
        let size = try await BinarySize.measure(executable)

        let broker = try await MosquittoFixture.start(tls: .serverAuth)
        let directory = try TemporaryDirectory(prefix: "perch-bench-footprint")
        let process: ChildProcess
        do {
            let configPath = try directory.write(Self.configuration(for: broker, stateDirectory: directory.path), to: "perch.yaml")
            process = try ChildProcess.start(
                executable, arguments: ["--config", configPath], removingEnvironment: ["JOURNAL_STREAM", "NOTIFY_SOCKET"])
        } catch {
            directory.remove()
            await broker.shutdown()
            throw error
        }
        let result: Result<IdleFigures, any Error>
        do {
            try await process.waitForLine(containing: "uplink connected", timeout: .seconds(30))
            result = .success(try await IdleFigures.measure(pid: process.processIdentifier, settle: settleTime, idle: idleTime))
        } catch {
            result = .failure(error)
        }
        _ = try? await process.stop(gracePeriod: .seconds(10))
        directory.remove()
        await broker.shutdown()
        let figures = try result.get()

        print("Footprint of \(executable), connected over TLS to Mosquitto on 127.0.0.1, default settings (status every 30 s, log level info):\n")
        var table = MarkdownTable([("measure", .left), ("value", .right), ("target", .right), ("met", .left)])
        let runtime = figures.mappedFiles.swiftRuntimeLibraries
        table.append(["binary as built", Formatting.bytes(size.builtBytes), "", ""])
        table.append(Self.row("binary, stripped", size.strippedBytes, target: Self.binaryTarget, "< 15 MB"))
        table.append([
            "Swift runtime libraries it loads (\(runtime.count) files, on disk)",
            Formatting.bytes(runtime.reduce(0) { $0 + ((try? BinarySize.size(of: $1)) ?? 0) }), "", "",
        ])
        table.append(Self.row("idle RSS after \(settleTime.seconds) s (VmRSS)", figures.settled.residentBytes, target: Self.residentTarget, "< 20 MB"))
        table.append(["… anonymous (RssAnon: heap, stacks)", Formatting.bytes(figures.settled.anonymousResidentBytes), "", ""])
        table.append(["… file-backed (RssFile: code and data of the binary and libraries)", Formatting.bytes(figures.settled.fileResidentBytes), "", ""])
        table.append(["peak RSS (VmHWM)", Formatting.bytes(figures.peakResident), "", ""])
        table.append([
            "idle CPU over \(idleTime.seconds) s (utime+stime)",
            Formatting.number(figures.cpuPercent, decimals: 3) + " % (\(figures.cpuTicks) ticks)", "", "",
        ])
        table.append([
            "disk writes while idle (write_bytes)", "\(figures.idleWriteBytes) B", "0 B",
            figures.idleWriteBytes == 0 ? "yes" : "**no**",
        ])
        table.append(["disk writes since start (write_bytes)", "\(figures.totalWriteBytes) B", "", ""])
        print(table.render())
        let largest = figures.mappedFiles.largest(6).map { "\(($0.path as NSString).lastPathComponent) \(Formatting.bytes($0.bytes))" }
        print("Largest resident mappings: " + largest.joined(separator: ", ") + ".\n")
    }

    private static func row(_ name: String, _ bytes: Int, target: Int, _ targetText: String) -> [String] {
        [name, Formatting.bytes(bytes) + " (\(Formatting.number(Double(bytes) / 1e6, decimals: 1)) MB)", targetText, bytes < target ? "yes" : "**no**"]
    }

    private static func duration(_ value: Double?, environment name: String, default fallback: Double) throws -> Duration {
        let seconds = value ?? ProcessInfo.processInfo.environment[name].flatMap { Double($0) } ?? fallback
        guard seconds > 0, seconds <= 3600 else { throw BenchError.invalidSetting("\(name) must be in (0, 3600], got \(seconds)") }
        return .milliseconds(Int((seconds * 1000).rounded(.up)))
    }

    /// The smallest realistic configuration: the broker's URL and CA, everything else default.
    private static func configuration(for broker: MosquittoFixture, stateDirectory: String) -> String {
        """
        gateway:
          id: bench-pi
          state_dir: "\(stateDirectory)"
        uplink:
          url: \(broker.url)
          tls:
            ca_file: "\(broker.certificates.caFile)"

        """
    }
}
