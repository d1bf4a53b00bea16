import Foundation

/// The gateway status document published, retained, on `status.topic` (SPEC §7).
///
/// Sections for parts that are not running are absent, not zero: a reader can tell
/// "no CoAP server" from "a CoAP server that saw no request".
public struct StatusReport: Sendable, Equatable {
    /// `online` while Perch runs; `offline` is what the Last Will and a graceful
    /// stop leave behind.
    public var state: State
    public var gateway: String
    public var version: String
    public var uptimeSeconds: Int
    public var uplink: UplinkStatus?
    /// The MQTT-SN gateway's counters; absent when MQTT-SN is off.
    public var mqttsn: MQTTSNStatus?
    /// The CoAP server's counters; absent when plain CoAP is off.
    public var coap: CoAPStatus?
    /// The spool's contents and counters (SPEC §5, §7).
    public var spool: SpoolStatus?
    /// The pins and the chip: `gpio` and `gpio_info`; both absent when GPIO is off.
    public var gpio: GPIOStatus?
    /// What the last reload did; absent until the first `systemctl reload`.
    public var reload: ReloadStatus?

    /// The `state` field.
    public enum State: String, Sendable, Equatable {
        case online
        case offline
    }

    public init(
        state: State, gateway: String, version: String, uptimeSeconds: Int, uplink: UplinkStatus? = nil, mqttsn: MQTTSNStatus? = nil,
        coap: CoAPStatus? = nil, spool: SpoolStatus? = nil, gpio: GPIOStatus? = nil, reload: ReloadStatus? = nil
    ) {
        self.state = state
        self.gateway = gateway
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.uplink = uplink
        self.mqttsn = mqttsn
        self.coap = coap
        self.spool = spool
        self.gpio = gpio
        self.reload = reload
    }

    /// The payload of the Last Will and of the message left on a graceful stop:
    /// exactly `{"state":"offline"}` (SPEC §2).
    public static let offlinePayload = #"{"state":"offline"}"#

    /// Smaller documents for a broker that will not take the full one, largest
    /// first: state, gateway, version, uptime, whether the uplink is connected
    /// and what it gave up, and the spool's counts (about 190 bytes plus the
    /// gateway id); then the first four alone (about 70 bytes plus the id).
    /// Each says `"compact": true` (Docs/protocol-mapping.md).
    public func compactJSONTexts() -> [String] {
        var compact = StatusReport(state: state, gateway: gateway, version: version, uptimeSeconds: uptimeSeconds)
        compact.isCompact = true
        let minimal = compact.jsonText()
        compact.uplink = uplink.map { UplinkStatus(isConnected: $0.isConnected, broker: "", degraded: $0.degraded) }
        compact.spool = spool.map {
            SpoolStatus(messages: $0.messages, bytes: $0.bytes, oldestAgeSeconds: $0.oldestAgeSeconds, dropped: $0.dropped,
                        rejected: $0.rejected, deadLettered: $0.deadLettered)
        }
        return [compact.jsonText(), minimal]
    }

    /// Set on the compact form; says so in the document (`"compact": true`).
    private var isCompact = false

    /// The JSON text, with the SPEC's field names.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of strings, integers and Booleans cannot fail.
        guard let data = try? encoder.encode(self) else { return Self.offlinePayload }
        return String(decoding: data, as: UTF8.self)
    }
}

extension StatusReport: Encodable {
    private enum CodingKeys: String, CodingKey {
        case state, gateway, version, uplink, mqttsn, coap, spool, gpio, reload, compact
        case uptimeSeconds = "uptime_s"
        case gpioInfo = "gpio_info"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state.rawValue, forKey: .state)
        try container.encode(gateway, forKey: .gateway)
        try container.encode(version, forKey: .version)
        try container.encode(uptimeSeconds, forKey: .uptimeSeconds)
        if isCompact { try container.encode(true, forKey: .compact) }
        try container.encodeIfPresent(uplink, forKey: .uplink)
        try container.encodeIfPresent(mqttsn, forKey: .mqttsn)
        try container.encodeIfPresent(coap, forKey: .coap)
        try container.encodeIfPresent(spool, forKey: .spool)
        if let gpio {
            try container.encode(GPIOStatus.PinSection(pins: gpio.pins), forKey: .gpio)
            try container.encode(GPIOStatus.InfoSection(status: gpio), forKey: .gpioInfo)
        }
        try container.encodeIfPresent(reload, forKey: .reload)
    }
}

extension UplinkStatus: Encodable {
    private enum CodingKeys: String, CodingKey {
        case connected, broker, reconnects, degraded
        case lastError = "last_error"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isConnected, forKey: .connected)
        try container.encode(broker, forKey: .broker)
        try container.encode(reconnects, forKey: .reconnects)
        // SPEC §7 shows `"last_error": null`: the key is always there.
        if let lastError {
            try container.encode(lastError, forKey: .lastError)
        } else {
            try container.encodeNil(forKey: .lastError)
        }
        try container.encode(degraded, forKey: .degraded)
    }
}
