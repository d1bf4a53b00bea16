/// The whole of `perch.yaml` (SPEC §1), validated, with every default filled in
/// and `${gateway}` substituted. Immutable once loaded; passed by value.
public struct PerchConfiguration: Sendable, Equatable {
    /// `gateway`: who this gateway is and where it keeps state.
    public var gateway: GatewayConfiguration
    /// `uplink`: the one upstream MQTT connection.
    public var uplink: UplinkConfiguration
    /// `mqttsn`: the MQTT-SN gateway for sensors.
    public var mqttsn: MQTTSNConfiguration
    /// `coap`: the CoAP server for sensors.
    public var coap: CoAPConfiguration
    /// `spool`: the store-and-forward queue.
    public var spool: SpoolConfiguration
    /// `gpio`: the Pi's own pins; `nil` when the section is absent.
    public var gpio: GPIOConfiguration?
    /// `status`: the gateway's own status topic.
    public var status: StatusConfiguration
    /// `log`: verbosity.
    public var log: LogConfiguration

    /// Creates a configuration from its sections.
    public init(
        gateway: GatewayConfiguration,
        uplink: UplinkConfiguration,
        mqttsn: MQTTSNConfiguration,
        coap: CoAPConfiguration,
        spool: SpoolConfiguration,
        gpio: GPIOConfiguration?,
        status: StatusConfiguration,
        log: LogConfiguration
    ) {
        self.gateway = gateway
        self.uplink = uplink
        self.mqttsn = mqttsn
        self.coap = coap
        self.spool = spool
        self.gpio = gpio
        self.status = status
        self.log = log
    }
}
