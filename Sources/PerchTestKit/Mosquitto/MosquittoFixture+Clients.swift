import Foundation

/// Subscribing and publishing through Mosquitto's own command-line clients: clients nobody here wrote.
extension MosquittoFixture {
    /// Options that connect to this broker: its CA in TLS modes, the client certificate for mutual TLS,
    /// and the fixture's credentials if it has any.
    public nonisolated var clientOptions: MosquittoClientOptions {
        var options = MosquittoClientOptions()
        if tls != .none { options.caFile = certificates.caFile }
        if tls == .mutual {
            options.certFile = certificates.clientCertFile
            options.keyFile = certificates.clientKeyFile
        }
        options.username = credentials?.username
        options.password = credentials?.password
        return options
    }

    /// Subscribes to `topic`, waits for `count` messages and returns them.
    ///
    /// Throws `TestKitError.toolFailed` when `mosquitto_sub` fails (e.g. TLS verification) or
    /// fewer than `count` messages arrive within `timeout` (whole seconds, rounded up).
    public nonisolated func subscribe(
        topic: String, count: Int = 1, timeout: Duration = .seconds(5),
        options: MosquittoClientOptions? = nil
    ) async throws -> [ReceivedMessage] {
        let arguments = subscriberArguments(topic: topic, options: options)
            + ["-C", String(count), "-W", String(Self.wholeSeconds(timeout))]
        let client = try ChildProcess.start("/usr/bin/mosquitto_sub", arguments: arguments)
        let status = try await client.waitForExit(timeout: timeout + .seconds(10))
        guard status.isSuccess else {
            throw TestKitError.toolFailed(tool: "mosquitto_sub", status: status, output: client.outputText)
        }
        return try client.lines.compactMap { try ReceivedMessage(subscriberLine: $0.text) }
    }

    /// The retained message on `topic`, or nil if the broker holds none (waits up to `timeout` to be sure).
    public nonisolated func retained(
        topic: String, timeout: Duration = .seconds(2), options: MosquittoClientOptions? = nil
    ) async throws -> ReceivedMessage? {
        let arguments = subscriberArguments(topic: topic, options: options)
            + ["--retained-only", "-C", "1", "-W", String(Self.wholeSeconds(timeout))]
        let client = try ChildProcess.start("/usr/bin/mosquitto_sub", arguments: arguments)
        let status = try await client.waitForExit(timeout: timeout + .seconds(10))
        let messages = try client.lines.compactMap { try ReceivedMessage(subscriberLine: $0.text) }
        if let message = messages.first { return message }
        // Exit code 27 is mosquitto_sub's "timed out" (`-W`): no retained message.
        guard status == .exited(27) || status.isSuccess else {
            throw TestKitError.toolFailed(tool: "mosquitto_sub", status: status, output: client.outputText)
        }
        return nil
    }

    /// Starts a background subscription and returns once the broker has acknowledged it.
    ///
    /// The broker's own log line "Sending SUBACK to <client id>" is the event waited for:
    /// `mosquitto_sub` buffers its debug output when it is not on a terminal.
    public func startSubscription(
        topic: String, qos: Int = 0, options: MosquittoClientOptions? = nil,
        timeout: Duration = .seconds(10)
    ) async throws -> MosquittoSubscription {
        var options = options ?? clientOptions
        let clientID = options.clientID ?? "perch-sub-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        options.clientID = clientID
        let arguments = subscriberArguments(topic: topic, options: options) + ["-q", String(qos)]
        let client = try ChildProcess.start("/usr/bin/mosquitto_sub", arguments: arguments)
        do {
            try await waitForLog(containing: "Sending SUBACK to \(clientID)", timeout: timeout)
        } catch {
            client.kill()
            throw TestKitError.toolFailed(
                tool: "mosquitto_sub (waiting for SUBACK: \(error))", status: client.exitStatus ?? .exited(-1),
                output: client.outputText)
        }
        return MosquittoSubscription(topic: topic, process: client)
    }

    /// Publishes `payload` on `topic` with `mosquitto_pub` and waits until it has been sent.
    public nonisolated func publish(
        topic: String, payload: String, retain: Bool = false, qos: Int = 0,
        options: MosquittoClientOptions? = nil
    ) async throws {
        var arguments = (options ?? clientOptions).arguments(host: host, port: port)
            + ["-t", topic, "-q", String(qos)]
        // An empty retained message clears the topic (MQTT 3.1.1 §3.3.1.3); `-n` sends exactly that.
        arguments += payload.isEmpty ? ["-n"] : ["-m", payload]
        if retain { arguments.append("-r") }
        let client = try ChildProcess.start("/usr/bin/mosquitto_pub", arguments: arguments)
        let status = try await client.waitForExit(timeout: .seconds(15))
        guard status.isSuccess else {
            throw TestKitError.toolFailed(tool: "mosquitto_pub", status: status, output: client.outputText)
        }
    }

    private nonisolated func subscriberArguments(topic: String, options: MosquittoClientOptions?) -> [String] {
        (options ?? clientOptions).arguments(host: host, port: port)
            + ["-t", topic, "-F", ReceivedMessage.outputFormat]
    }

    private static func wholeSeconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
