import ArgumentParser
import PerchConfig


/// `perchd check`: validates a configuration file and prints the effective
/// configuration with every default filled in and secrets redacted, or every error.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a configuration file and print the effective configuration."
    )

    @OptionGroup var file: ConfigurationFileOption

    @Flag(name: .long, help: "Print nothing when the file is valid (for ExecStartPre=).")
    var quiet = false

    func run() throws {
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader().load(path: file.config)
        } catch {
            for problem in error.errors { printToStandardError("error: \(problem)") }
            printToStandardError("\(file.config): \(error.errors.count) error\(error.errors.count == 1 ? "" : "s"); Perch would not start")
            throw configurationErrorExitCode
        }
        for warning in loaded.warnings { printToStandardError("warning: \(warning)") }
        if !quiet {
            print(loaded.configuration.renderEffectiveYAML(), terminator: "")
        }
    }
}

/// Writes one line to standard error, in one `write(2)` like every log line.
func printToStandardError(_ line: String) {
    FileDescriptorLogOutput(fileDescriptor: 2).write(line: line + "\n")
}
