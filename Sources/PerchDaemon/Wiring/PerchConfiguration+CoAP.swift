import CoAPServer
import PerchConfig
import PerchCore

extension PerchConfiguration {
    /// The CoAP server's settings from the `coap:` section, with the mountpoint
    /// of `uplink.mountpoint` (SPEC §2, §4); `nil` when `coap.listen` is empty
    /// (plain CoAP off, SPEC §1; the default is `0.0.0.0:5683`) and there is
    /// no `coap.dtls`. A PSK is the bytes of its text (a `key_file`'s one
    /// trailing newline already gone), as `coap-client -k` sends it.
    ///
    /// Throws what the loader cannot have checked in terms of PerchCore's types
    /// (it already validated the mountpoint, so this is a second line of defence).
    func makeCoAPServerConfiguration() throws -> CoAPServer.Configuration? {
        guard !coap.listen.isEmpty || coap.dtls != nil else { return nil }
        return CoAPServer.Configuration(
            listen: coap.listen,
            mountpoint: try Mountpoint(uplink.mountpoint),
            aliases: coapAliases,
            dtls: coap.dtls.map { dtls in
                CoAPServer.DTLS(
                    listen: dtls.listen,
                    // The loader refuses a repeated identity; the first would win.
                    keys: Dictionary(dtls.preSharedKeys.map { ($0.identity, Array($0.key.value.utf8)) }, uniquingKeysWith: { first, _ in first })
                )
            },
            // The loader bounds it to 64KiB…1GiB, so it fits an Int32 for setsockopt.
            receiveBufferSize: Int(clamping: coap.receiveBuffer.bytes)
        )
    }

    /// `coap.resources` as the server takes them: path → local topic.
    var coapAliases: [String: String] {
        var aliases: [String: String] = [:]
        for resource in coap.resources { aliases[resource.path] = resource.topic }
        return aliases
    }
}
