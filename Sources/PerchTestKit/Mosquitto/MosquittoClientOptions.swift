/// Connection options for the `mosquitto_sub` / `mosquitto_pub` helpers.
///
/// `MosquittoFixture.clientOptions` gives the options that fit the broker; change
/// single fields for negative tests (e.g. `caFile = certificates.wrongCAFile`).
public struct MosquittoClientOptions: Sendable, Equatable {
    /// The MQTT version the client speaks.
    public enum ProtocolVersion: String, Sendable, Equatable {
        /// MQTT 3.1.1.
        case v311 = "mqttv311"
        /// MQTT 5.0.
        case v5 = "mqttv5"
    }

    /// The MQTT version; 3.1.1 by default.
    public var protocolVersion: ProtocolVersion = .v311
    /// The CA to verify the broker with; nil for plain MQTT.
    public var caFile: String?
    /// A client certificate for mutual TLS.
    public var certFile: String?
    /// The client certificate's key.
    public var keyFile: String?
    /// The user name, if any.
    public var username: String?
    /// The password, if any.
    public var password: String?
    /// The client id; the tools choose one (`mosquitto_sub_PID`) when nil.
    public var clientID: String?

    /// Options for an anonymous plain-MQTT client.
    public init() {}

    /// The connection part of a `mosquitto_sub`/`mosquitto_pub` command line.
    func arguments(host: String, port: Int) -> [String] {
        var arguments = ["-h", host, "-p", String(port), "-V", protocolVersion.rawValue]
        if let caFile { arguments += ["--cafile", caFile] }
        if let certFile { arguments += ["--cert", certFile] }
        if let keyFile { arguments += ["--key", keyFile] }
        if let username { arguments += ["-u", username] }
        if let password { arguments += ["-P", password] }
        if let clientID { arguments += ["-i", clientID] }
        return arguments
    }
}
