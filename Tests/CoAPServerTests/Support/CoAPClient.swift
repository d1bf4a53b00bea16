import PerchTestKit

/// Runs Debian's `coap-client-openssl` (libcoap3-bin) against the server under
/// test, always under `timeout(1)`: a client that hangs must not hang the test.
struct CoAPClient {
    static let executable = "/usr/bin/coap-client-openssl"
    static let timeoutExecutable = "/usr/bin/timeout"

    /// A DTLS pre-shared key as coap-client takes it (`-u identity -k key`).
    struct PreSharedKey {
        var identity: String
        var key: String
    }

    /// The server's address as it goes in a URI: `127.0.0.1` or `[::1]`.
    var host = "127.0.0.1"
    /// The server's port.
    let port: Int
    /// `coap`, or `coaps` for DTLS (then `psk` is sent).
    var scheme = "coap"
    /// The identity and key for `coaps`.
    var psk: PreSharedKey?

    /// A client for `coaps://127.0.0.1:port` with `identity` and `key`.
    static func secure(port: Int, identity: String, key: String) -> CoAPClient {
        CoAPClient(port: port, scheme: "coaps", psk: PreSharedKey(identity: identity, key: key))
    }

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
        if let psk { arguments += ["-u", psk.identity, "-k", psk.key] }
        arguments += extraArguments
        arguments.append("\(scheme)://\(host):\(port)/\(path)")
        return try ChildProcess.start(Self.timeoutExecutable, arguments: arguments)
    }

    /// Runs one request to its end and returns everything it printed.
    func run(
        _ method: String,
        path: String,
        payload: String? = nil,
        contentFormat: Int? = nil,
        nonConfirmable: Bool = false,
        limit: Duration = .seconds(20)
    ) async throws -> String {
        let child = try start(method, path: path, payload: payload, contentFormat: contentFormat, nonConfirmable: nonConfirmable, limit: limit)
        try await child.waitForExit(timeout: limit + .seconds(10))
        return child.outputText
    }
}

extension String {
    /// The response lines coap-client printed with `-v 7` (`v:1 t:ACK c:2.04 …`).
    var receivedResponses: [Substring] {
        split(separator: "\n").filter { $0.hasPrefix("v:1 t:") && !$0.contains(" c:PUT") && !$0.contains(" c:GET") && !$0.contains(" c:POST") && !$0.contains(" c:DELETE") && !$0.contains(" c:FETCH") }
    }
}
