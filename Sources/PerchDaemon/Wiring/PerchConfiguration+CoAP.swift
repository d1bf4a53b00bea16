import CoAPServer
import PerchConfig
import PerchCore

extension PerchConfiguration {
    /// The CoAP server's settings from the `coap:` section, with the mountpoint
    /// of `uplink.mountpoint` (SPEC §2, §4); `nil` when `coap.listen` is empty
    /// (plain CoAP off, SPEC §1; the default is `0.0.0.0:5683`).
    ///
    /// `coap.dtls` is not read here: this build serves no `coaps://` (the
    /// daemon says so in the log).
    ///
    /// Throws what the loader cannot have checked in terms of PerchCore's types
    /// (it already validated the mountpoint, so this is a second line of defence).
    func makeCoAPServerConfiguration() throws -> CoAPServer.Configuration? {
        guard !coap.listen.isEmpty else { return nil }
        var aliases: [String: String] = [:]
        for resource in coap.resources { aliases[resource.path] = resource.topic }
        return CoAPServer.Configuration(
            listen: coap.listen,
            mountpoint: try Mountpoint(uplink.mountpoint),
            aliases: aliases
        )
    }
}
