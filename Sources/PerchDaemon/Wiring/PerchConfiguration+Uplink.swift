import MQTTCodec
import NIOCore
import PerchConfig
import PerchCore
import Uplink

extension PerchConfiguration {
    /// The uplink's settings from the `uplink:` section, with the Last Will on
    /// the status topic (SPEC §2: `{"state":"offline"}`, retained).
    func makeUplinkConfiguration() -> Uplink.Configuration {
        let section = uplink
        var tls = Uplink.Configuration.TLS()
        if let tlsSection = section.tls {
            tls = Uplink.Configuration.TLS(
                caFile: tlsSection.caFile,
                certificateFile: tlsSection.clientCertificate?.certificateFile,
                keyFile: tlsSection.clientCertificate?.keyFile,
                serverName: tlsSection.serverName,
                alpnProtocols: tlsSection.alpn,
                insecureSkipVerify: tlsSection.insecureSkipVerify
            )
        }
        let protocolVersion: MQTTCodec.MQTTProtocolVersion
        switch section.protocolVersion {
        case .v3_1_1: protocolVersion = .v3_1_1
        case .v5: protocolVersion = .v5
        }
        return Uplink.Configuration(
            host: section.url.host,
            port: section.url.port,
            useTLS: section.url.isTLS,
            protocolVersion: protocolVersion,
            clientID: section.clientID,
            username: section.username,
            password: section.password.map { Array($0.value.utf8) },
            keepAlive: section.keepAlive,
            cleanStart: section.cleanStart,
            reconnect: .init(minimum: section.reconnect.minimum, maximum: section.reconnect.maximum),
            connectTimeout: section.connectTimeout,
            maximumPacketSize: section.maximumPacketSize.map { Int(clamping: $0.bytes) },
            tls: tls,
            // The will is the status's last word: its QoS and retain are the status's.
            will: .init(
                topic: status.topic,
                payload: ByteBuffer(string: StatusReport.offlinePayload),
                qos: MQTTQoS(rawValue: UInt8(clamping: status.qos)) ?? .atLeastOnce,
                retain: status.retain
            ),
            brokerDescription: section.url.description
        )
    }
}
