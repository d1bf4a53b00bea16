import MQTTCodec
import NIOCore
import PerchCore

/// Decides what a request on `/ps/{topic}` does (SPEC §4), without I/O: the
/// engine reads the PDU into a `CoAPRequest`, asks here, and carries the
/// decision out.
struct PubSubRouter: Sendable {
    /// What the engine does with a request.
    enum Decision: Equatable, Sendable {
        /// Answer at once.
        case respond(CoAPResponse)
        /// Hand `message` upstream; a confirmable request is answered `success`
        /// (2.04, or 2.02 for DELETE) once the upstream has it safe, 5.03 if it
        /// refuses (SPEC §5); a non-confirmable one at once.
        case publish(Message, confirmable: Bool, success: CoAPResponse.Code)
    }

    /// The path segment under which topics live: `/ps/{topic}`.
    static let prefix = "ps/"
    let mountpoint: Mountpoint
    /// Configured aliases, path → local topic.
    var aliases: [String: String] = [:]
    /// The largest PUT/POST body accepted (4.13 above it).
    var maximumPayloadBytes = 65_536

    /// The decision for `request`, given the last messages seen.
    func decide(_ request: CoAPRequest, lastValues: LastValueCache) -> Decision {
        do throws(CoAPRequestError) {
            if let pathError = request.pathError { throw .badTopic(pathError) }
            let topic: String
            do {
                topic = try upstreamTopic(for: request.path, clientID: request.clientID)
            } catch {
                // SPEC §4: a filter with `+`/`#` can be observed, and nothing
                // else can be done with it. Its "last value" is the last message
                // that matched it while it was observed.
                // Observe=1 deregisters (RFC 7641 §3.6) and is answered like
                // the registration: a filter is no error there either.
                guard request.method == .get, request.observe == 0 || request.observe == 1,
                      let filter = observableFilter(forPath: request.path, clientID: request.clientID) else { throw error }
                return .respond(lastValue(on: filter, in: lastValues, observing: true))
            }
            switch request.method {
            case .put, .post:
                return .publish(try message(for: request, topic: topic), confirmable: request.isConfirmable, success: .changed)
            case .get:
                return .respond(lastValue(on: topic, in: lastValues, observing: request.observe == 0))
            case .delete:
                return .publish(try clearing(topic, query: request.query), confirmable: request.isConfirmable, success: .deleted)
            case .fetch, .patch, .iPatch, .other:
                throw .methodNotAllowed
            }
        } catch {
            return .respond(.refusal(error))
        }
    }

    /// What a GET with Observe on `path` observes upstream: a topic, or a
    /// filter with `+`/`#` (URI-encoded in the request, SPEC §4); `nil` when
    /// the path names neither.
    func observableFilter(forPath path: String, clientID: String?) -> String? {
        if let topic = try? upstreamTopic(for: path, clientID: clientID) { return topic }
        guard aliases[path] == nil, let local = Self.localTopic(inPath: path) else { return nil }
        guard !local.isEmpty, let mountpoint = try? mountpoint(forClient: clientID),
              let filter = try? mountpoint.upstreamFilter(for: TopicFilter(local)) else { return nil }
        return filter.value
    }

    /// The topic of a path `ps/{topic}` (possibly empty), `nil` for any other path.
    /// On UTF-8 bytes, as MQTT reads topics (§1.5.4): a topic may start with a
    /// combining mark, which String's Character-wise `hasPrefix` would glue to the `/`.
    static func localTopic(inPath path: String) -> String? {
        let utf8 = path.utf8
        guard utf8.starts(with: prefix.utf8) else { return nil }
        return String(decoding: utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }

    /// `{mountpoint}{topic}` for a path `ps/{topic}` or a configured alias,
    /// the mountpoint resolved for `clientID`.
    private func upstreamTopic(for path: String, clientID: String?) throws(CoAPRequestError) -> String {
        let local: String
        if let alias = aliases[path] {
            local = alias
        } else {
            guard let topic = Self.localTopic(inPath: path) else { throw .notFound }
            guard !topic.isEmpty else { throw .badTopic("no topic after /ps/") }
            local = topic
        }
        let topic = try mountpoint(forClient: clientID).upstreamTopic(for: local)
        do {
            // A publish names one topic: no wildcards, no U+0000 (MQTT 5.0 §4.7.3).
            try TopicName.validate(topic)
        } catch {
            throw .badTopic("\(error)")
        }
        return topic
    }

    /// The mountpoint with `${clientid}` replaced by the client id. Without
    /// one (plain CoAP) a sensor could only publish outside its own
    /// mountpoint, so the request is refused (4.01) instead.
    private func mountpoint(forClient clientID: String?) throws(CoAPRequestError) -> Mountpoint {
        guard mountpoint.isPerClient else { return mountpoint }
        guard let clientID, !clientID.isEmpty else {
            throw .unauthorized("topics here are per client: use coaps:// with a PSK identity")
        }
        do {
            return try mountpoint.resolved(forClient: clientID)
        } catch {
            // An identity with a wildcard or U+0000 cannot be part of a topic name.
            throw .unauthorized("the PSK identity cannot be part of a topic")
        }
    }

    private func message(for request: CoAPRequest, topic: String) throws(CoAPRequestError) -> Message {
        guard request.payload.count <= maximumPayloadBytes else { throw .tooLarge(limit: maximumPayloadBytes) }
        let options = try PublishOptions(query: request.query)
        return Message(
            topic: topic,
            payload: ByteBuffer(bytes: request.payload),
            qos: options.qos,
            retain: options.retain,
            contentType: request.contentFormat.flatMap(ContentFormat.mediaType(for:))
        )
    }

    /// DELETE clears the retained message upstream (SPEC §4): an empty retained
    /// publish does that (MQTT 5.0 §3.3.1.3). The query may give the QoS only.
    private func clearing(_ topic: String, query: String) throws(CoAPRequestError) -> Message {
        let options = try PublishOptions(query: query)
        guard !query.contains("retain") else { throw .badQuery("DELETE always clears the retained message") }
        return Message(topic: topic, payload: ByteBuffer(), qos: options.qos, retain: true)
    }

    /// An observation is only established by a 2.xx answer (RFC 7641 §4.1), and
    /// a topic usually has no message before its upstream subscription brings
    /// one: registering on an empty topic answers 2.05 with no payload.
    private func lastValue(on topic: String, in lastValues: LastValueCache, observing: Bool) -> CoAPResponse {
        guard let message = lastValues.message(on: topic) else {
            return observing ? CoAPResponse(.content) : .refusal(.notFound)
        }
        return CoAPResponse(
            .content,
            contentFormat: message.contentType.flatMap(ContentFormat.format(for:)),
            payload: Array(message.payload.readableBytesView)
        )
    }
}
