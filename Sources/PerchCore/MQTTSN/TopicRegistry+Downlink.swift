/// Gateway → client registration (MQTT-SN v1.2 §6.10): when a wildcard subscription
/// matches a topic the client has no id for, the gateway REGISTERs it first and
/// sends the PUBLISH only once the client has acknowledged the id.
extension TopicRegistry {
    /// The client's id for `topic`, assigning a pending one when the client has none.
    ///
    /// When ``DownlinkRegistration/isNew`` is true, send REGISTER and hold the PUBLISH;
    /// when it is false but ``isUsable(id:)`` is not yet, a REGISTER is already on its
    /// way and the PUBLISH waits behind it. A predefined topic needs no REGISTER at
    /// all: look it up in ``predefinedTopics`` first (§6.7).
    ///
    /// - Returns: the registration, ``TopicRegistryError/notSupported`` for a string
    ///   that is not a topic name (a broker never sends one, but the id would be
    ///   unusable), or ``TopicRegistryError/congestion`` at the client's bound.
    public mutating func registrationForDownlink(_ topic: String) -> Result<DownlinkRegistration, TopicRegistryError> {
        do {
            try TopicName.validate(topic)
        } catch {
            return .failure(.notSupported)
        }
        if let id = idsByName[topic] { return .success(DownlinkRegistration(id: id, isNew: false)) }
        guard let id = insert(topic, isAcknowledged: false) else { return .failure(.congestion) }
        return .success(DownlinkRegistration(id: id, isNew: true))
    }

    /// Records the client's accepting REGACK for `id` (§5.4.11): the id becomes usable
    /// in both directions. Acknowledging an id twice changes nothing.
    ///
    /// - Returns: false when `id` is not assigned, so the REGACK answers nothing
    ///   this registry sent.
    @discardableResult
    public mutating func acknowledge(id: UInt16) -> Bool {
        guard registrations[id] != nil else { return false }
        registrations[id]?.isAcknowledged = true
        return true
    }

    /// Drops a pending id: the client refused the gateway's REGISTER (a REGACK with
    /// a rejection code), or the REGISTER was given up after its retries. The slot
    /// counts against the bound no more. An acknowledged id is never withdrawn,
    /// since the client may still publish with it.
    ///
    /// - Returns: the name that was pending under `id`, or `nil` if none was.
    @discardableResult
    public mutating func withdraw(id: UInt16) -> String? {
        guard let registration = registrations[id], !registration.isAcknowledged else { return nil }
        registrations[id] = nil
        idsByName[registration.name] = nil
        return registration.name
    }

    /// True when `id` is assigned and the client knows it: a PUBLISH to the client
    /// may carry it, and a PUBLISH from the client with it resolves.
    public func isUsable(id: UInt16) -> Bool {
        registrations[id]?.isAcknowledged ?? false
    }
}
