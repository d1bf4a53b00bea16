import NIOCore

extension SubscribePacket.Subscription {
    /// The Subscription Options byte (5.0 §3.8.3.1; in 3.1.1 only the QoS bits, §3.8.3).
    func optionsByte(version: MQTTProtocolVersion) throws(MQTTCodecError) -> UInt8 {
        switch version {
        case .v3_1_1:
            guard !noLocal, !retainAsPublished, retainHandling == 0 else {
                throw .protocolError("subscription options other than QoS need MQTT 5")
            }
            return qos.rawValue
        case .v5:
            guard retainHandling < 3 else { throw .invalidSubscriptionOptions(retainHandling << 4) }
            try Self.validateShared(noLocal: noLocal, filter: topicFilter)
            return qos.rawValue | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling << 4
        }
    }

    init(topicFilter: String, options: UInt8, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        // [MQTT-3-8.3-4] (3.1.1: bits 7–2 reserved), 5.0 [MQTT-3.8.3-5] (bits 7–6 reserved).
        let reservedMask: UInt8 = version == .v5 ? 0xC0 : 0xFC
        guard options & reservedMask == 0 else { throw .invalidSubscriptionOptions(options) }
        guard let qos = MQTTQoS(rawValue: options & 0b11) else { throw .invalidQoS }
        let retainHandling = (options >> 4) & 0b11
        guard retainHandling != 3 else { throw .invalidSubscriptionOptions(options) }  // 5.0 §3.8.3.1
        if version == .v5 { try Self.validateShared(noLocal: options & 0x04 != 0, filter: topicFilter) }
        self.init(
            topicFilter: topicFilter, qos: qos, noLocal: options & 0x04 != 0,
            retainAsPublished: options & 0x08 != 0, retainHandling: retainHandling
        )
    }
}

extension SubscribePacket.Subscription {
    /// 5.0 [MQTT-3.8.3-4]: No Local on a Shared Subscription is a Protocol Error.
    fileprivate static func validateShared(noLocal: Bool, filter: String) throws(MQTTCodecError) {
        // Bytes, not Characters: "$share/" followed by a combining mark is still shared.
        if noLocal && filter.utf8.starts(with: "$share/".utf8) {
            throw .protocolError("No Local on a shared subscription")
        }
    }
}

extension SubscribePacket {
    func encodeBody(into body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        guard !subscriptions.isEmpty else { throw .protocolError("SUBSCRIBE without a topic filter") }  // [MQTT-3.8.3-3]
        try body.writeMQTTPacketID(packetID)
        try properties.encode(into: &body, version: version, context: .subscribe, packet: .subscribe)
        for subscription in subscriptions {
            try MQTTTopicRules.validateFilter(subscription.topicFilter)
            try body.writeMQTTString(subscription.topicFilter)
            body.writeInteger(try subscription.optionsByte(version: version))
        }
    }

    static func decodeBody(from reader: inout PacketReader, version: MQTTProtocolVersion) throws(MQTTCodecError) -> SubscribePacket {
        let packetID = try reader.readPacketID()
        let properties = try MQTTProperties.decode(from: &reader, version: version, context: .subscribe, packet: .subscribe)
        var subscriptions: [Subscription] = []
        while !reader.isAtEnd {
            let filter = try reader.readString()
            try MQTTTopicRules.validateFilter(filter)
            subscriptions.append(try Subscription(topicFilter: filter, options: try reader.readByte(), version: version))
        }
        guard !subscriptions.isEmpty else { throw .protocolError("SUBSCRIBE without a topic filter") }  // [MQTT-3.8.3-3]
        return SubscribePacket(packetID: packetID, subscriptions: subscriptions, properties: properties)
    }
}

extension SubAckPacket {
    func encodeBody(into body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTCodecError) {
        guard !reasonCodes.isEmpty else { throw .protocolError("SUBACK without a return code") }  // §3.9.3
        try body.writeMQTTPacketID(packetID)
        try properties.encode(into: &body, version: version, context: .suback, packet: .suback)
        for code in reasonCodes {
            try code.validate(for: .suback, version: version)
            body.writeInteger(code.rawValue)
        }
    }

    static func decodeBody(from reader: inout PacketReader, version: MQTTProtocolVersion) throws(MQTTCodecError) -> SubAckPacket {
        let packetID = try reader.readPacketID()
        let properties = try MQTTProperties.decode(from: &reader, version: version, context: .suback, packet: .suback)
        var codes: [MQTTReasonCode] = []
        while !reader.isAtEnd {
            let code = MQTTReasonCode(try reader.readByte())
            try code.validate(for: .suback, version: version)
            codes.append(code)
        }
        guard !codes.isEmpty else { throw .protocolError("SUBACK without a return code") }
        return SubAckPacket(packetID: packetID, reasonCodes: codes, properties: properties)
    }
}
