/// How far the will prompting of a CONNECT with the Will flag has come (MQTT-SN v1.2 §6.2).
enum MQTTSNWillPrompt: Sendable, Hashable {
    /// WILLTOPICREQ sent; waiting for WILLTOPIC.
    case awaitingTopic
    /// WILLMSGREQ sent; waiting for WILLMSG, with the topic part already received.
    case awaitingMessage(topic: String, qos: UInt8, retain: Bool)
}
