import ArgumentParser

/// `perch-bench machine`: the machine and tool versions, printed before the figures.
struct MachineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine",
        abstract: "Describes the machine and the tool versions the figures come from."
    )

    func run() async throws {
        print(await MachineDescription.current().render())
    }
}
