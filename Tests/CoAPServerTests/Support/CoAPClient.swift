import PerchTestKit

/// The suites here drive the server with PerchTestKit's `coap-client-openssl`
/// runner, the same one perchd's end-to-end tests use.
typealias CoAPClient = CoAPTestClient
