import MQTTSNServer
import PerchConfig
import PerchCore

extension PerchConfiguration {
    /// The MQTT-SN server's settings from the `mqttsn:` section, with the
    /// mountpoint of `uplink.mountpoint` and presence under `{status.topic}/clients/`
    /// (SPEC §2); `nil` when `mqttsn.listen` is empty (MQTT-SN off).
    ///
    /// Throws what the loader cannot have checked in terms of PerchCore's types
    /// (it already validated both, so this is a second line of defence).
    func makeMQTTSNServerConfiguration() throws -> MQTTSNServer.Configuration? {
        guard !mqttsn.listen.isEmpty else { return nil }
        var predefined: [UInt16: String] = [:]
        for entry in mqttsn.predefinedTopics { predefined[entry.id] = entry.topic }
        let gateway = MQTTSNGatewayConfiguration(
            gatewayID: mqttsn.gatewayID,
            predefinedTopics: try PredefinedTopics(predefined),
            allowedClients: Set(mqttsn.allowedClients),
            maxClients: mqttsn.maxClients,
            sleepingBuffer: mqttsn.sleepingBuffer,
            retryInterval: mqttsn.retry.interval,
            retryCount: mqttsn.retry.count,
            mountpoint: try Mountpoint(uplink.mountpoint),
            presenceTopicPrefix: status.topic + "/clients/",
            advertiseInterval: mqttsn.advertise?.interval,
            rateLimit: mqttsn.rateLimit
        )
        return MQTTSNServer.Configuration(
            listen: mqttsn.listen,
            receiveBufferSize: Int(clamping: mqttsn.receiveBuffer.bytes),
            advertiseAddress: mqttsn.advertise?.address,
            gateway: gateway
        )
    }
}
