import PerchConfig

extension PerchConfiguration {
    /// The keys whose value in `new` differs from this running configuration
    /// and that only a restart of perchd applies: what the listeners are bound
    /// to, what the uplink is connected with, where the state lives, and the
    /// sections whose parts hold OS resources built once at start (CoAP's
    /// libcoap context, GPIO's chip). Everything else is applied live by the
    /// `ReloadablePart`s.
    func restartOnlyChanges(to new: PerchConfiguration) -> [String] {
        let makesNoCoAPServer = coap.listen.isEmpty && coap.dtls == nil
        var keys: [String] = []
        func check<Value: Equatable>(_ key: String, _ value: (PerchConfiguration) -> Value) {
            if value(self) != value(new) { keys.append(key) }
        }
        check("gateway.id") { $0.gateway.id }
        check("gateway.state_dir") { $0.gateway.stateDirectory }
        check("uplink.url") { $0.uplink.url }
        check("uplink.protocol") { $0.uplink.protocolVersion }
        check("uplink.client_id") { $0.uplink.clientID }
        check("uplink.username") { $0.uplink.username }
        check("uplink.password") { $0.uplink.password }
        check("uplink.keepalive") { $0.uplink.keepAlive }
        check("uplink.clean_start") { $0.uplink.cleanStart }
        check("uplink.mountpoint") { $0.uplink.mountpoint }
        check("uplink.reconnect") { $0.uplink.reconnect }
        check("uplink.connect_timeout") { $0.uplink.connectTimeout }
        check("uplink.max_packet_size") { $0.uplink.maximumPacketSize }
        check("uplink.tls") { $0.uplink.tls }
        check("mqttsn.listen") { $0.mqttsn.listen }
        check("mqttsn.receive_buffer") { $0.mqttsn.receiveBuffer }
        check("mqttsn.advertise.address") { $0.mqttsn.advertise?.address }
        check("coap.listen") { $0.coap.listen }
        check("coap.dtls") { $0.coap.dtls }
        // Aliases are live only while the CoAP server runs.
        if makesNoCoAPServer { check("coap.resources") { $0.coap.resources } }
        check("coap.receive_buffer") { $0.coap.receiveBuffer }
        // GPIO's pins are live once the service runs; the chip and Home
        // Assistant's settings are not, and neither is GPIO itself when it
        // was off at start.
        let hadPins = !(gpio?.pins.isEmpty ?? true)
        let hasPins = !(new.gpio?.pins.isEmpty ?? true)
        if !hadPins, hasPins { keys.append("gpio.pins") }
        if hadPins, hasPins {
            check("gpio.chip") { $0.gpio?.chip }
            check("gpio.homeassistant") { $0.gpio?.homeAssistant }
        }
        check("status.topic") { $0.status.topic }
        // The Last Will (CONNECT) carries them too.
        check("status.retain") { $0.status.retain }
        check("status.qos") { $0.status.qos }
        return keys
    }
}
