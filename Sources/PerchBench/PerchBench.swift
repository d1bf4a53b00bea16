import ArgumentParser

/// `perch-bench`: the benchmarks behind `Docs/benchmarks.md`. Each subcommand
/// prints one Markdown table, so its output can be pasted into the document.
/// Meaningful only in a release build (`make bench`).
struct PerchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perch-bench",
        abstract: "Measures Perch: codec speed, uplink throughput and latency, perchd's footprint, MQTT-SN and CoAP through perchd, the spool's disk tier.",
        subcommands: [
            MachineCommand.self,
            CodecCommand.self,
            InstructionsCommand.self,
            UplinkCommand.self,
            FootprintCommand.self,
            MQTTSNCommand.self,
            SoakCommand.self,
            CoAPCommand.self,
            DecodeLoopCommand.self,
            SpoolAppendCommand.self,
            SpoolMemoryCommand.self,
            DrainCommand.self,
        ]
    )
}
