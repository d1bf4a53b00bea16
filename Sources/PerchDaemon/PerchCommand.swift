import ArgumentParser

/// placeholder
public struct PerchCommand: ParsableCommand {
    public init() {}
    public func run() throws {}
}
