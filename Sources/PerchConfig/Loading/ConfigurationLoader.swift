import Yams

/// Reads `perch.yaml` into a `PerchConfiguration`: every error of the file in
/// one pass, or a complete configuration, never half of one.
public struct ConfigurationLoader: Sendable {
    /// The top-level sections (SPEC §1).
    static let sections = ["gateway", "uplink", "mqttsn", "coap", "spool", "gpio", "status", "log"]

    /// Where `perchd` looks for its configuration unless `--config` says otherwise (SPEC §1).
    public static let defaultPath = "/etc/perch/perch.yaml"

    /// Where the configuration, secret and certificate files are read from.
    public var fileSystem: any ConfigurationFileSystem
    /// The default of `gateway.id`.
    public var hostName: @Sendable () -> String

    /// Creates a loader; the defaults read the real disk and host name.
    public init(
        fileSystem: any ConfigurationFileSystem = LocalFileSystem(),
        hostName: @escaping @Sendable () -> String = { SystemHostName.current() }
    ) {
        self.fileSystem = fileSystem
        self.hostName = hostName
    }

    /// Loads the file at `path`; errors name it as given.
    public func load(path: String) throws(ConfigurationErrors) -> LoadedConfiguration {
        let snapshot: FileSnapshot
        do {
            snapshot = try fileSystem.readFile(atPath: path)
        } catch {
            throw ConfigurationErrors([
                ConfigurationError(fileName: path, keyPath: "", location: .start, message: "cannot read the configuration file: \(error)"),
            ])
        }
        guard let text = String(validating: snapshot.contents, as: UTF8.self) else {
            throw ConfigurationErrors([
                ConfigurationError(fileName: path, keyPath: "", location: .start, message: "the configuration file is not UTF-8 text"),
            ])
        }
        return try load(yaml: text, fileName: path)
    }

    /// Loads configuration text; `fileName` is only used in messages.
    public func load(yaml: String, fileName: String) throws(ConfigurationErrors) -> LoadedConfiguration {
        let context = DecodingContext(fileName: fileName, fileSystem: fileSystem)
        let (root, isValid) = YAMLDocument.compose(yaml, context: context)
        guard isValid else { throw ConfigurationErrors(context.errors) }

        let configuration = decode(root, context: context)
        guard context.errors.isEmpty, let configuration else {
            throw ConfigurationErrors(context.errors)
        }
        return LoadedConfiguration(configuration: configuration, warnings: context.warnings.sorted { $0.location < $1.location })
    }

    private func decode(_ root: Yams.Node?, context: DecodingContext) -> PerchConfiguration? {
        let rootNode = root.map { ConfigNode(node: $0, path: "") }
        let rootLocation = rootNode?.location ?? .start
        let mapping = rootNode.flatMap { context.mapping($0, known: Self.sections) }
            ?? MappingReader(emptyAt: "", location: rootLocation, context: context)

        // The gateway first: its id is substituted everywhere else.
        let gateway = GatewayConfiguration.decode(mapping["gateway"], hostName: hostName(), rootLocation: rootLocation, context: context)
        let uplink = UplinkConfiguration.decode(mapping["uplink"], rootLocation: rootLocation, context: context)
        let mqttsn = MQTTSNConfiguration.decode(mapping["mqttsn"], context: context)
        let coap = CoAPConfiguration.decode(mapping["coap"], context: context)
        let spool = SpoolConfiguration.decode(mapping["spool"], context: context)
        let gpio = mapping["gpio"].flatMap { GPIOConfiguration.decode($0, context: context) }
        let status = StatusConfiguration.decode(mapping["status"], context: context)
        let log = LogConfiguration.decode(mapping["log"], context: context)

        guard let uplink else { return nil }
        return PerchConfiguration(
            gateway: gateway, uplink: uplink, mqttsn: mqttsn, coap: coap,
            spool: spool, gpio: gpio, status: status, log: log
        )
    }
}
