/// A valid configuration and the warnings found while loading it.
public struct LoadedConfiguration: Sendable, Equatable {
    /// The configuration, complete with defaults.
    public var configuration: PerchConfiguration
    /// Things to fix that do not stop Perch, e.g. secret files readable by others.
    public var warnings: [ConfigurationWarning]

    /// Creates the pair.
    public init(configuration: PerchConfiguration, warnings: [ConfigurationWarning]) {
        self.configuration = configuration
        self.warnings = warnings
    }
}
