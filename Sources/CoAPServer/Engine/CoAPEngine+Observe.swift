internal import CLibCoAP
import Dispatch
import MQTTCodec
import PerchCore

extension CoAPEngine {
    /// What `handle` does with an observe request.
    enum ObserveStep {
        /// Answer it as a plain GET.
        case answer
        /// Answered later (empty ACK now): it was re-dispatched to its topic's resource.
        case redispatched
    }

    /// Keeps the observer registry in step with libcoap for a GET carrying the
    /// Observe option (RFC 7641 §2).
    ///
    /// libcoap 4.3.1 cannot observe its unknown-path resource, so the first
    /// registration on `/ps/{topic}` creates an observable resource for that
    /// path and re-dispatches the request to it through the async API: the
    /// handler registers it (delay 0) and triggers it at once, libcoap sends an
    /// empty ACK and then runs the request again through its own resource
    /// lookup, which now finds the topic's resource, adds the observer and calls
    /// the handler again; that answer carries the Observe option.
    func observe(
        _ request: CoAPRequest,
        value: UInt32,
        resource: OpaquePointer,
        session: OpaquePointer,
        pdu: OpaquePointer
    ) -> ObserveStep {
        // Per client: with a `${clientid}` mountpoint two identities observing
        // one path observe two topics.
        guard let topic = router.observableFilter(forPath: request.path, clientID: request.clientID) else { return .answer }
        if resource == unknownResource {
            guard value == 0, ensureResource(for: topic, path: request.path) else { return .answer }
            guard let async = coap_register_async(session, pdu, 0) else { return .answer }
            coap_async_trigger(async)
            // Triggered entries run from coap_io_process; this call is inside one.
            let queue = self.queue
            queue.async { [self] in processIO() }
            return .redispatched
        }
        let token = coap_pdu_get_token(pdu)
        let key = ObserverRegistry.Key(
            session: UInt(bitPattern: session),
            token: token.s.map { Array(UnsafeBufferPointer(start: $0, count: token.length)) } ?? []
        )
        switch value {
        case 0:
            mapResource(resource, to: topic)
            // A notification replays the registering request: only the first is news.
            if observers.topic(of: key) == nil { logObservation("registered", topic: topic, session: session) }
            changeSubscription(observers.register(key, topic: topic, resource: UInt(bitPattern: resource)))
        case 1:
            if observers.topic(of: key) != nil { logObservation("deregistered", topic: topic, session: session) }
            changeSubscription(observers.deregister(key))
        default: break
        }
        return .answer
    }

    /// Tells libcoap that `message`'s topic changed: every observer gets a
    /// notification, non-confirmable for QoS 0, confirmable for QoS 1 and 2.
    ///
    /// libcoap 4.3.1 sets the notification type per resource only
    /// (`coap_resource_set_mode`) and sends at the end of the next
    /// `coap_io_process` pass, so two messages on one topic in one pass both
    /// go out with the type of the later one.
    ///
    /// An observed filter (`ps/a/+`) that matches the topic remembers the
    /// message as its own last value, which its notification then carries.
    /// `skippingTopic`: the topic's own observers already have this message.
    func notifyObservers(of message: Message, skippingTopic: Bool = false) {
        if !skippingTopic { notify(observersOf: message.topic, qos: message.qos) }
        for (key, filter) in observedFilters where filter.matches(message.topic) {
            lastValues.record(message, under: key)
            notify(observersOf: key, qos: message.qos)
        }
    }

    /// RFC 7641 §4.5: a notification goes confirmable at least every 24 hours
    /// per topic, so that an observer that went away silently is found (its
    /// CON is never acknowledged, and the NACK handler forgets it).
    static let confirmableInterval: Duration = .seconds(24 * 3600)

    private func notify(observersOf topic: String, qos: MQTTQoS) {
        guard observers.count(of: topic) > 0 else { return }
        let now = ContinuousClock.now
        let isDue = lastConfirmable[topic].map { now - $0 >= Self.confirmableInterval } ?? false
        let confirmable = qos != .atMostOnce || isDue
        if confirmable { lastConfirmable[topic] = now }
        let mode = confirmable ? perch_coap_notify_con() : perch_coap_notify_non()
        for resource in topicResources[topic] ?? [] {
            coap_resource_set_mode(resource, mode)
            // 0: libcoap has no observer left on it. It drops one that
            // answered a NON notification with RST without telling anyone
            // (RFC 7641 §3.6); forget them here too.
            if coap_resource_notify_observers(resource, nil) == 0 {
                for gone in observers.removeResource(UInt(bitPattern: resource)) {
                    changeSubscription(.unsubscribe(gone))
                }
            }
        }
    }

    /// A confirmable message libcoap sent was answered with RST or never
    /// acknowledged (RFC 7641 §3.6, §4.5). If it was a notification, libcoap
    /// has already dropped that observer (4.3.1: COAP_OBS_MAX_FAIL is 1);
    /// the registry forgets it too, and the topic's upstream subscription goes
    /// with its last observer.
    func confirmableFailed(session: OpaquePointer, token: [UInt8], reason: String) {
        let key = ObserverRegistry.Key(session: UInt(bitPattern: session), token: token)
        guard let topic = observers.topic(of: key) else { return }
        logger.info("CoAP observer gone", metadata: ["topic": "\(topic)", "reason": "\(reason)"])
        changeSubscription(observers.deregister(key))
    }

    /// libcoap's NACK callback: non-capturing, finds the engine through the
    /// context's app data (cleared before the context is freed).
    static let nackHandler: coap_nack_handler_t = { session, sent, reason, _ in
        guard let session, let sent,
              reason == COAP_NACK_RST || reason == COAP_NACK_TOO_MANY_RETRIES,
              let context = coap_session_get_context(session),
              let owner = coap_get_app_data(context) else { return }
        let engine = Unmanaged<CoAPEngine>.fromOpaque(owner).takeUnretainedValue()
        let token = coap_pdu_get_token(sent)
        let bytes = token.s.map { Array(UnsafeBufferPointer(start: $0, count: token.length)) } ?? []
        engine.confirmableFailed(session: session, token: bytes, reason: reason == COAP_NACK_RST ? "RST" : "not acknowledged")
    }

    /// Hands a subscription change upstream, after the ones before it.
    func changeSubscription(_ change: ObserverRegistry.Change) {
        let upstream = self.upstream
        let logger = self.logger
        let previous = subscriptionTail
        switch change {
        case .none:
            return
        case let .subscribe(topic):
            // The registration's own answer was the first word; the 24 h count starts now.
            lastConfirmable[topic] = .now
            if topic.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }),
               let filter = try? TopicFilter(topic) {
                observedFilters[topic] = filter
            }
            subscriptionTail = Task {
                await previous?.value
                do { try await upstream.subscribe(topic) } catch {
                    logger.warning("CoAP observe: upstream subscribe failed", metadata: ["topic": "\(topic)", "error": "\(error)"])
                }
            }
        case let .unsubscribe(topic):
            lastConfirmable[topic] = nil
            // A filter's last value means something only while it is observed.
            if observedFilters.removeValue(forKey: topic) != nil { lastValues.forget(topic) }
            subscriptionTail = Task {
                await previous?.value
                do { try await upstream.unsubscribe(topic) } catch {
                    logger.notice("CoAP observe: upstream unsubscribe failed", metadata: ["topic": "\(topic)", "error": "\(error)"])
                }
            }
        }
    }

    /// Makes `resource` observable for `topic`.
    func addObservable(_ resource: OpaquePointer, topic: String) {
        coap_resource_set_get_observable(resource, 1)
        mapResource(resource, to: topic)
    }

    /// Notifications for `topic` go to `resource`'s observers. One path serves
    /// as many topics as clients resolve it to, so this is recorded when an
    /// observer registers, not only when the resource is made.
    private func mapResource(_ resource: OpaquePointer, to topic: String) {
        guard !(topicResources[topic]?.contains(resource) ?? false) else { return }
        topicResources[topic, default: []].append(resource)
    }

    /// The observable resource for `ps/{topic}`, created on first use; false
    /// when libcoap could not create it.
    private func ensureResource(for topic: String, path: String) -> Bool {
        // Only called for the unknown resource: no resource has this path yet.
        guard let context, let resource = addTopicResource(path: path, to: context) else {
            logger.warning("CoAP observe: cannot create the topic resource", metadata: ["path": "\(path)"])
            return false
        }
        addObservable(resource, topic: topic)
        return true
    }

    /// A session ended (timeout, or the context is going): its observations end too.
    func sessionEnded(_ session: OpaquePointer) {
        for topic in observers.removeSession(UInt(bitPattern: session)) {
            changeSubscription(.unsubscribe(topic))
        }
    }

    /// libcoap's event callback: non-capturing, finds the engine through the
    /// context's app data (cleared before the context is freed).
    static let eventHandler: coap_event_handler_t = { session, event in
        guard let session, event == COAP_EVENT_SERVER_SESSION_DEL,
              let context = coap_session_get_context(session),
              let owner = coap_get_app_data(context) else { return 0 }
        let engine = Unmanaged<CoAPEngine>.fromOpaque(owner).takeUnretainedValue()
        engine.sessionEnded(session)
        return 0
    }
}
