import Foundation
import PerchTestKit

/// What the figures were measured on, as the tools themselves report it.
struct MachineDescription {
    var cpuModel: String
    var processors: String
    var architecture: String
    var kernel: String
    var memory: String
    var swiftVersion: String
    var mosquittoVersion: String
    /// The 1, 5 and 15 minute load averages when the benchmarks started: other
    /// work on the machine shows here and widens the spread of the timings.
    var loadAverage: String

    /// Asks the system and the tools (`uname`, `nproc`, `swift --version`, `mosquitto -h`).
    static func current() async -> MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memTotal = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { $0.split(separator: " ").dropFirst().first }
            .flatMap { Int($0) }
        return MachineDescription(
            cpuModel: model ?? "unknown",
            processors: await firstLine(of: "/usr/bin/nproc", []),
            architecture: await firstLine(of: "/usr/bin/uname", ["-m"]),
            kernel: await firstLine(of: "/usr/bin/uname", ["-sr"]),
            memory: memTotal.map { Formatting.number(Double($0) / 1_048_576, decimals: 1) + " GiB" } ?? "unknown",
            swiftVersion: await firstLine(of: "/usr/bin/env", ["swift", "--version"], containing: "Swift version"),
            mosquittoVersion: await firstLine(of: "/usr/sbin/mosquitto", ["-h"], containing: "mosquitto version"),
            loadAverage: ((try? ProcFile.read("/proc/loadavg")) ?? "unknown").split(separator: " ").prefix(3).joined(separator: " ")
        )
    }

    /// The description as a Markdown table.
    func render() -> String {
        var table = MarkdownTable([("machine", .left), ("value", .left)])
        table.append(["CPU", cpuModel])
        table.append(["`nproc`", processors])
        table.append(["`uname -m`", architecture])
        table.append(["kernel", kernel])
        table.append(["memory", memory])
        table.append(["Swift", swiftVersion])
        table.append(["Mosquitto", mosquittoVersion])
        table.append(["load average at start", loadAverage])
        return table.render()
    }

    private static func firstLine(of executable: String, _ arguments: [String], containing text: String = "") async -> String {
        guard let child = try? ChildProcess.start(executable, arguments: arguments),
            (try? await child.waitForExit(timeout: .seconds(30))) != nil
        else { return "unknown (\(executable) did not run)" }
        return child.lines.first { !$0.text.isEmpty && (text.isEmpty || $0.text.contains(text)) }?.text
            .trimmingCharacters(in: .whitespaces) ?? "unknown"
    }
}
