/// The entry point. `decode-loop` is dispatched before the async command runs:
/// it is what `instructions` runs under valgrind, and valgrind 3.19 (Debian 12)
/// crashes as soon as Swift's cooperative thread pool starts a thread, which
/// `AsyncParsableCommand.main()` does. The synchronous path starts none.
@main
enum PerchBenchEntry {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == DecodeLoopCommand.configuration.commandName {
            DecodeLoopCommand.main(Array(arguments.dropFirst()))
        } else {
            await PerchBench.main(arguments)
        }
    }
}
