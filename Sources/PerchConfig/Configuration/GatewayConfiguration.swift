/// `gateway`: the gateway's identity and state directory.
public struct GatewayConfiguration: Sendable, Equatable {
    /// `gateway.id`: substituted for `${gateway}` in topics and the client id.
    /// Default: the host name.
    public var id: String
    /// `gateway.state_dir`: where the spool and other state live.
    /// Default: `/var/lib/perch`.
    public var stateDirectory: String

    /// The default state directory, systemd's `StateDirectory=perch`.
    public static let defaultStateDirectory = "/var/lib/perch"

    /// Creates the section.
    public init(id: String, stateDirectory: String = GatewayConfiguration.defaultStateDirectory) {
        self.id = id
        self.stateDirectory = stateDirectory
    }
}
