import Foundation

/// How the fixture's listener is secured.
public enum MosquittoTLSMode: Sendable, Equatable {
    /// Plain MQTT (`mqtt://`).
    case none
    /// TLS; the client verifies the broker against `TestCertificates.caFile` (`mqtts://`).
    case serverAuth
    /// TLS and the broker requires a client certificate signed by the same CA (`require_certificate true`).
    case mutual
}

/// A user name and password for brokers started with a password file.
public struct MosquittoCredentials: Sendable, Equatable {
    /// The user name.
    public var username: String
    /// The password.
    public var password: String

    /// Makes credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// Renders the `mosquitto.conf` of one fixture.
struct MosquittoConfiguration {
    var port: Int
    var tls: MosquittoTLSMode
    var certificates: TestCertificates
    var passwordFile: String?
    var directory: TemporaryDirectory
    var logFile: String
    /// Only errors, warnings, notices and information: no line per packet or per connection.
    var isQuiet = false

    func render() -> String {
        var lines = [
            // One configuration for the single listener; clearer than per-listener blocks.
            "per_listener_settings false",
            // Retained messages must survive `restart()`; mosquitto writes the file on SIGTERM.
            "persistence true",
            "persistence_location \(directory.path)/",
            "persistence_file mosquitto.db",
            "log_dest file \(logFile)",
            // Unbuffered: the fixture reads it to learn when the broker is ready.
            "log_dest stderr",
        ] + logTypes + [
            "log_timestamp true",
            "log_timestamp_format %Y-%m-%dT%H:%M:%S",
        ]
        if geteuid() == 0 {
            // Running as root, mosquitto would switch to user `mosquitto`, which cannot read our 0700 directory.
            lines.append("user root")
        }
        lines.append("listener \(port) 127.0.0.1")
        if let passwordFile {
            lines.append("allow_anonymous false")
            lines.append("password_file \(passwordFile)")
        } else {
            // mosquitto 2.0 refuses anonymous clients by default once a listener is configured.
            lines.append("allow_anonymous true")
        }
        if tls != .none {
            lines.append("cafile \(certificates.caFile)")
            lines.append("certfile \(certificates.serverCertFile)")
            lines.append("keyfile \(certificates.serverKeyFile)")
        }
        if tls == .mutual {
            lines.append("require_certificate true")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `log_type all` writes two lines per QoS 1 message, which costs a benchmark
    /// half its broker throughput; "information" still holds the " running" line
    /// the fixture waits for.
    private var logTypes: [String] {
        guard isQuiet else { return ["log_type all", "connection_messages true"] }
        return [
            "log_type error", "log_type warning", "log_type notice", "log_type information",
            "connection_messages false",
        ]
    }
}
