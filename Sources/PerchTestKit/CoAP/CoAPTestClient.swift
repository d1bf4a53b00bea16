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

    /// A client for the server at `host` (as in a URI) and `port`.
    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Starts one request; `-v 7` makes the client print every PDU it sends and
    /// receives (`v:1 t:ACK c:2.04 ...`), which tests read. `limit` bounds the
    /// whole run (SIGTERM, then SIGKILL two seconds later).
    public func start(
        _ method: String,
        path: String,
        payload: String? = nil,
        nonConfirmable: Bool = false,
        extraArguments: [String] = [],
        limit: Duration = .seconds(20)
    ) throws -> ChildProcess {
        var arguments = ["--kill-after=2", "\(limit.components.seconds)", Self.executable, "-v", "7", "-B", "\(limit.components.seconds)", "-m", method]
        if let payload { arguments += ["-e", payload] }
        if nonConfirmable { arguments.append("-N") }
        arguments += extraArguments
        arguments.append("coap://\(host):\(port)/\(path)")
        return try ChildProcess.start(Self.timeoutExecutable, arguments: arguments)
    }

    /// Runs one request to its end and returns everything the client printed.
    public func run(_ method: String, path: String, payload: String? = nil, nonConfirmable: Bool = false) async throws -> String {
        let child = try start(method, path: path, payload: payload, nonConfirmable: nonConfirmable)
        _ = try await child.waitForExit(timeout: .seconds(30))
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
