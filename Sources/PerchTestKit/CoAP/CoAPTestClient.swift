/// Runs Debian's `coap-client-openssl` (libcoap3-bin) against a CoAP server,
/// always under `timeout(1)`: a client that hangs must not hang the test.
public struct CoAPTestClient: Sendable {
    /// libcoap's client; Debian installs no plain `coap-client`.
    public static let executable = "/usr/bin/coap-client-openssl"
    /// coreutils' `timeout`.
    public static let timeoutExecutable = "/usr/bin/timeout"

    /// The server's address as it goes in a URI: `127.0.0.1` or `[::1]`.
    public var host: String
    /// The server's port.
    public var port: Int
    /// `coap`, or `coaps` for DTLS.
    public var scheme = "coap"
    /// The DTLS pre-shared key identity (`-u`) and key (`-k`), for `coaps`.
    public var identity: String?
    /// See `identity`.
    public var key: String?

    /// A client for the server at `host` (as in a URI) and `port`.
    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// A DTLS client with a pre-shared key (`coaps://`, RFC 7252 §9.1.3.1).
    public init(host: String = "127.0.0.1", securePort port: Int, identity: String, key: String) {
        self.init(host: host, port: port)
        self.scheme = "coaps"
        self.identity = identity
        self.key = key
    }

    /// Starts one request; `-v 7` makes the client print every PDU it sends and
    /// receives (`v:1 t:ACK c:2.04 ...`), which tests read. `limit` bounds the
    /// whole run (SIGTERM, then SIGKILL two seconds later).
    public func start(
        _ method: String,
        path: String,
        payload: String? = nil,
        contentFormat: Int? = nil,
        nonConfirmable: Bool = false,
        extraArguments: [String] = [],
        limit: Duration = .seconds(20)
    ) throws -> ChildProcess {
        var arguments = ["--kill-after=2", "\(limit.components.seconds)", Self.executable, "-v", "7", "-B", "\(limit.components.seconds)", "-m", method]
        if let payload { arguments += ["-e", payload] }
        if let contentFormat { arguments += ["-t", "\(contentFormat)"] }
        if nonConfirmable { arguments.append("-N") }
        if let identity { arguments += ["-u", identity] }
        if let key { arguments += ["-k", key] }
        arguments += extraArguments
        arguments.append("\(scheme)://\(host):\(port)/\(path)")
        return try ChildProcess.start(Self.timeoutExecutable, arguments: arguments)
    }

    /// Runs one request to its end and returns everything the client printed.
    public func run(
        _ method: String, path: String, payload: String? = nil, contentFormat: Int? = nil,
        nonConfirmable: Bool = false, limit: Duration = .seconds(20)
    ) async throws -> String {
        let child = try start(method, path: path, payload: payload, contentFormat: contentFormat, nonConfirmable: nonConfirmable, limit: limit)
        _ = try await child.waitForExit(timeout: limit + .seconds(10))
        return child.outputText
    }
}

extension String {
    /// The response lines coap-client printed with `-v 7` (`v:1 t:ACK c:2.04 …`):
    /// every PDU line that is not a request.
    public var coapResponses: [Substring] {
        let requestCodes = [" c:GET", " c:PUT", " c:POST", " c:DELETE", " c:FETCH"]
        return split(separator: "\n").filter { line in
            line.hasPrefix("v:1 t:") && !requestCodes.contains { line.contains($0) }
        }
    }
}
