/// REGISTER (MQTT-SN v1.2 §5.4.10): a topic name and the id it is to stand for.
public struct MQTTSNRegister: Sendable, Hashable {
    /// TopicId: 0x0000 when a client registers; the assigned id when the gateway does.
    public var topicID: UInt16
    /// MsgId: matches the REGACK to this REGISTER.
    public var messageID: UInt16
    /// TopicName: the topic being registered.
    public var topicName: String

    /// Creates the message.
    public init(topicID: UInt16, messageID: UInt16, topicName: String) {
        self.topicID = topicID
        self.messageID = messageID
        self.topicName = topicName
    }
}

/// REGACK (§5.4.11) and PUBACK (§5.4.13) share this layout: TopicId, MsgId, ReturnCode.
public struct MQTTSNTopicAck: Sendable, Hashable {
    /// TopicId: the id assigned (REGACK) or the id of the PUBLISH acknowledged (PUBACK).
    public var topicID: UInt16
    /// MsgId of the message acknowledged.
    public var messageID: UInt16
    /// ReturnCode (§5.3.10).
    public var returnCode: MQTTSNReturnCode

    /// Creates the acknowledgement.
    public init(topicID: UInt16, messageID: UInt16, returnCode: MQTTSNReturnCode = .accepted) {
        self.topicID = topicID
        self.messageID = messageID
        self.returnCode = returnCode
    }
}
