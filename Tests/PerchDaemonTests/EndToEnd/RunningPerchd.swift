import Foundation
import NIOCore
import PerchTestKit

/// perchd's "MQTT-SN listening" or "CoAP listening" line did not hold an address.
struct MQTTSNLogLineError: Error {
    let line: String
}

/// A real `perchd` process started against a `MosquittoFixture`, with a
/// configuration file written for the test.
struct RunningPerchd {
    let process: ChildProcess
    let directory: TemporaryDirectory
    let gatewayID: String
    let clientID: String

    var statusTopic: String { "perch/\(gatewayID)/status" }

    /// How the uplink should authenticate to the broker.
    enum Trust {
        /// Verify the broker against the fixture's CA.
        case fixtureCA
        /// Verify the broker against an unrelated CA: the handshake must fail.
        case wrongCA
        /// The fixture's CA and the fixture's client certificate (mutual TLS).
        case clientCertificate
    }

    /// Writes a configuration for `broker` and starts perchd with it.
    static func start(
        against broker: MosquittoFixture,
        trust: Trust = .fixtureCA,
        protocolVersion: String = "5",
        mqttsnYAML: String = Self.defaultMQTTSN,
        coapYAML: String = Self.defaultCoAP,
        extraYAML: String = "",
        mountpoint: String? = nil,
        logLevel: String = "debug",
        environment: [String: String] = [:],
        in existingDirectory: TemporaryDirectory? = nil,
        gatewayID existingGatewayID: String? = nil
    ) throws -> RunningPerchd {
        let directory = try existingDirectory ?? TemporaryDirectory(prefix: "perchd-e2e")
        let gatewayID = existingGatewayID ?? "gw-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let clientID = "perch-\(gatewayID)"
        var tls = ""
        if broker.url.hasPrefix("mqtts://") {
            let certificates = broker.certificates
            let caFile = trust == .wrongCA ? certificates.wrongCAFile : certificates.caFile
            tls = """
                  tls:
                    ca_file: "\(caFile)"
                """
            if trust == .clientCertificate {
                tls += """

                        cert_file: "\(certificates.clientCertFile)"
                        key_file: "\(certificates.clientKeyFile)"
                    """
            }
        }
        let yaml = """
            gateway:
              id: \(gatewayID)
              state_dir: "\(directory.path)"
            uplink:
              url: \(broker.url)
              protocol: "\(protocolVersion)"
              keepalive: 5s
              reconnect: { min: 100ms, max: 1s }
            \(mountpoint.map { "  mountpoint: \"\($0)\"" } ?? "")
            \(tls)
            log:
              level: \(logLevel)
            \(mqttsnYAML)
            \(coapYAML)
            \(extraYAML)
            """
        let configPath = try directory.write(yaml, to: "perch.yaml")
        let process = try ChildProcess.start(
            try PerchdBinary.url().path,
            arguments: ["--config", configPath],
            environment: environment,
            removingEnvironment: Set(["JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"].filter { environment[$0] == nil })
        )
        return RunningPerchd(process: process, directory: directory, gatewayID: gatewayID, clientID: clientID)
    }

    /// MQTT-SN on a port the system chooses, so that parallel tests never meet
    /// on 1884; `mqttsnAddress` reads the port from the log.
    static let defaultMQTTSN = """
        mqttsn:
          listen: ["127.0.0.1:0"]
        """

    /// CoAP on a port the system chooses, for the same reason (the default is
    /// 0.0.0.0:5683); `coapPort` reads the port from the log.
    static let defaultCoAP = """
        coap:
          listen: ["127.0.0.1:0"]
        """

    /// The MQTT-SN listener's address, from perchd's "MQTT-SN listening" log line.
    func mqttsnAddress(timeout: Duration = .seconds(15)) async throws -> SocketAddress {
        try await listeningAddress(logged: "MQTT-SN listening", timeout: timeout)
    }

    /// The CoAP listener's port, from perchd's "CoAP listening" log line.
    func coapPort(timeout: Duration = .seconds(15)) async throws -> Int {
        guard let port = try await listeningAddress(logged: "CoAP listening", excluding: "(DTLS)", timeout: timeout).port else {
            throw MQTTSNLogLineError(line: "CoAP listening")
        }
        return port
    }

    /// The first DTLS listener's port, from perchd's "CoAP listening (DTLS)" log line.
    func coapsPort(timeout: Duration = .seconds(15)) async throws -> Int {
        guard let port = try await listeningAddress(logged: "CoAP listening (DTLS)", timeout: timeout).port else {
            throw MQTTSNLogLineError(line: "CoAP listening (DTLS)")
        }
        return port
    }

    private func listeningAddress(logged text: String, excluding other: String? = nil, timeout: Duration) async throws -> SocketAddress {
        let line = try await process.waitForLine(describedAs: "a line containing \"\(text)\"", timeout: timeout) { line in
            line.contains(text) && !(other.map { line.contains($0) } ?? false)
        }
        guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }),
              let colon = field.lastIndex(of: ":"),
              let port = Int(field[field.index(after: colon)...]) else {
            throw MQTTSNLogLineError(line: line)
        }
        return try SocketAddress(ipAddress: "127.0.0.1", port: port)
    }

    /// The configuration file perchd was started with (`reload` rewrites it).
    var configurationPath: String { directory.path + "/perch.yaml" }

    /// Rewrites the configuration file with `edit` applied to its text, then
    /// sends SIGHUP (`systemctl reload`). Throws if `edit` changed nothing.
    func reload(editing edit: (String) -> String) throws {
        let text = try String(contentsOfFile: configurationPath, encoding: .utf8)
        let edited = edit(text)
        guard edited != text else { throw MQTTSNLogLineError(line: "the edit changed nothing in perch.yaml") }
        try edited.write(toFile: configurationPath, atomically: true, encoding: .utf8)
        process.send(signal: SIGHUP)
    }

    /// Stops the process if it still runs and removes its files.
    func cleanUp() async {
        if process.isRunning {
            process.kill()
            _ = try? await process.waitForExit(timeout: .seconds(10))
        }
        directory.remove()
    }
}

extension ReceivedMessage {
    /// The payload as a JSON object, or nil.
    var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
    }

    /// The `state` field of a status document.
    var statusState: String? { jsonObject?["state"] as? String }

    /// The `uplink` section of a status document.
    var uplinkSection: [String: Any]? { jsonObject?["uplink"] as? [String: Any] }
}
