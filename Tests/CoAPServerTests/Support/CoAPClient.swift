import PerchTestKit

/// Runs Debian's `coap-client-openssl` (libcoap3-bin) against the server under
/// test, always under `timeout(1)`: a client that hangs must not hang the test.
struct CoAPClient {
    static let executable = "/usr/bin/coap-client-openssl"
    static let timeoutExecutable = "/usr/bin/timeout"

    /// The server's address as it goes in a URI: `127.0.0.1` or `[::1]`.
    var host = "127.0.0.1"
    /// The server's port.
    let port: Int

    /// Starts one request; `-v 7` makes the client print every PDU it sends and
    /// receives (`v:1 t:ACK c:2.04 ...`), which the tests read.
    func start(
        _ method: String,
        path: String,
        payload: String? = nil,
        contentFormat: Int? = nil,
        nonConfirmable: Bool = false,
        extraArguments: [String] = [],
        limit: Duration = .seconds(20)
    ) throws -> ChildProcess {
        var arguments = ["--kill-after=2", "\(limit.components.seconds)", Self.executable, "-v", "7", "-B", "15", "-m", method]
        if let payload { arguments += ["-e", payload] }
        if let contentFormat { arguments += ["-t", "\(contentFormat)"] }
        if nonConfirmable { arguments.append("-N") }
        arguments += extraArguments
        arguments.append("coap://\(host):\(port)/\(path)")
        return try ChildProcess.start(Self.timeoutExecutable, arguments: arguments)
    }

    /// Runs one request to its end and returns everything it printed.
    func run(
        _ method: String,
        path: String,
        payload: String? = nil,
        contentFormat: Int? = nil,
        nonConfirmable: Bool = false
    ) async throws -> String {
        let child = try start(method, path: path, payload: payload, contentFormat: contentFormat, nonConfirmable: nonConfirmable)
        try await child.waitForExit(timeout: .seconds(30))
        return child.outputText
    }
}

extension String {
    /// The response lines coap-client printed with `-v 7` (`v:1 t:ACK c:2.04 …`).
    var receivedResponses: [Substring] {
        split(separator: "\n").filter { $0.hasPrefix("v:1 t:") && !$0.contains(" c:PUT") && !$0.contains(" c:GET") && !$0.contains(" c:POST") && !$0.contains(" c:DELETE") && !$0.contains(" c:FETCH") }
    }
}
