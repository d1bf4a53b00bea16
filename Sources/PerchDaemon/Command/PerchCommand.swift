import ArgumentParser

/// `perchd`: runs the gateway (the default) or checks a configuration file (SPEC §8).
public struct PerchCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "perchd",
        abstract: "Perch: a field gateway from MQTT-SN and CoAP sensors to one MQTT/TLS uplink.",
        version: PerchVersion.current,
        subcommands: [RunCommand.self, CheckCommand.self, SpoolCommand.self],
        defaultSubcommand: RunCommand.self
    )

    public init() {}
}

/// The `--config` option both commands take.
struct ConfigurationFileOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file.", valueName: "file"))
    var config: String = "/etc/perch/perch.yaml"
}

/// The exit status of a configuration that does not load: EX_CONFIG (sysexits.h),
/// which systemd shows as "exit-code 78/CONFIG".
let configurationErrorExitCode = ExitCode(78)
