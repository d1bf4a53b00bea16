@testable import CoAPServer
import MQTTCodec
import NIOCore
import PerchCore
import Testing

/// What a request on `/ps/{topic}` does, without sockets (SPEC §4).
struct PubSubRouterTests {
    let router = PubSubRouter(mountpoint: try! Mountpoint("site/gw/")) // invariant: a literal, valid mountpoint
    let empty = LastValueCache(capacity: 4)

    @Test func putPublishesUnderTheMountpoint() {
        let request = CoAPRequest(method: .put, path: "ps/a/b", query: "qos=2", contentFormat: 50, payload: [0x7B, 0x7D])
        let expected = Message(topic: "site/gw/a/b", payload: ByteBuffer(bytes: [0x7B, 0x7D]), qos: .exactlyOnce, contentType: "application/json")
        #expect(router.decide(request, lastValues: empty) == .publish(expected, confirmable: true, success: .changed))
    }

    @Test("a topic starting with a combining mark: the path is split on bytes (fuzzing, issue 8)")
    func combiningMarkAfterThePrefix() {
        // "ps/" + U+0301: as Characters, "/" and the mark are one grapheme and
        // hasPrefix("ps/") is false; MQTT reads topics as UTF-8 bytes.
        let request = CoAPRequest(method: .put, path: "ps/\u{301}x", payload: [0x31])
        let expected = Message(topic: "site/gw/\u{301}x", payload: ByteBuffer(bytes: [0x31]))
        #expect(router.decide(request, lastValues: empty) == .publish(expected, confirmable: true, success: .changed))
    }

    @Test func aBodyAboveTheLimitIsTooLargeWithTheLimitInSize1() {
        let router = PubSubRouter(mountpoint: .none, maximumPayloadBytes: 4)
        #expect(router.decide(CoAPRequest(method: .put, path: "ps/a", payload: [1, 2, 3, 4]), lastValues: empty) != .respond(.refusal(.tooLarge(limit: 4))))
        let refused = router.decide(CoAPRequest(method: .post, path: "ps/a", payload: [1, 2, 3, 4, 5]), lastValues: empty)
        guard case let .respond(answer) = refused else {
            Issue.record("not refused: \(refused)")
            return
        }
        // RFC 7252 §5.9.2.9 and §5.10.9: 4.13 says how much would be accepted.
        #expect(answer.code == .requestEntityTooLarge && answer.code.classAndDetail == (4, 13))
        #expect(answer.size1 == 4)
    }

    @Test func aFilterCanBeObservedAndNothingElse() {
        // SPEC §4: `+`/`#` in the path (URI-encoded by the client) name a filter.
        #expect(router.observableFilter(forPath: "ps/cmd/+/state", clientID: nil) == "site/gw/cmd/+/state")
        #expect(router.observableFilter(forPath: "ps/cmd/#", clientID: nil) == "site/gw/cmd/#")
        #expect(router.observableFilter(forPath: "ps/cmd/a#", clientID: nil) == nil)
        #expect(router.observableFilter(forPath: "ps/cmd/t", clientID: nil) == "site/gw/cmd/t")
        let observe = CoAPRequest(method: .get, path: "ps/cmd/+", observe: 0)
        #expect(router.decide(observe, lastValues: empty) == .respond(CoAPResponse(.content)))
        var seen = LastValueCache(capacity: 4)
        seen.record(Message(topic: "site/gw/cmd/led", payload: ByteBuffer(string: "on")), under: "site/gw/cmd/+")
        guard case let .respond(answer) = router.decide(observe, lastValues: seen) else {
            Issue.record("no answer")
            return
        }
        #expect(answer.code == .content && answer.payload == Array("on".utf8))
        // A plain GET or a PUT on a filter is a bad request.
        for request in [CoAPRequest(method: .get, path: "ps/cmd/+"), CoAPRequest(method: .put, path: "ps/cmd/+", payload: [1])] {
            guard case let .respond(refusal) = router.decide(request, lastValues: seen) else {
                Issue.record("not refused: \(request)")
                continue
            }
            #expect(refusal.code == .badRequest)
        }
    }

    @Test func nonConfirmablePostIsFireAndForget() {
        let request = CoAPRequest(method: .post, isConfirmable: false, path: "ps/a", payload: [1])
        guard case let .publish(message, confirmable, success) = router.decide(request, lastValues: empty) else {
            Issue.record("not a publish")
            return
        }
        #expect(!confirmable)
        #expect(success == .changed)
        #expect(message.topic == "site/gw/a")
        #expect(message.contentType == nil)
    }

    @Test func unknownContentFormatTravelsWithoutAType() {
        let request = CoAPRequest(method: .put, path: "ps/a", contentFormat: 65000)
        guard case let .publish(message, _, _) = router.decide(request, lastValues: empty) else {
            Issue.record("not a publish")
            return
        }
        #expect(message.contentType == nil)
    }

    @Test(arguments: ["ps/", "ps/a/+", "ps/#", "ps/a\u{0}b"])
    func badTopicsAreBadRequest(path: String) {
        guard case let .respond(answer) = router.decide(CoAPRequest(method: .put, path: path), lastValues: empty) else {
            Issue.record("not refused")
            return
        }
        #expect(answer.code == .badRequest)
    }

    @Test(arguments: ["", "ps", "other/x", "psx/a"])
    func pathsOutsidePubSubAreNotFound(path: String) {
        let decision = router.decide(CoAPRequest(method: .put, path: path), lastValues: empty)
        #expect(decision == .respond(.refusal(.notFound)))
    }

    @Test func getAnswersTheLastValueWithItsFormat() {
        var cache = LastValueCache(capacity: 4)
        cache.record(Message(topic: "site/gw/a", payload: ByteBuffer(string: "1"), contentType: "text/plain;charset=utf-8"))
        let decision = router.decide(CoAPRequest(method: .get, path: "ps/a"), lastValues: cache)
        #expect(decision == .respond(CoAPResponse(.content, contentFormat: 0, payload: [0x31])))
        #expect(router.decide(CoAPRequest(method: .get, path: "ps/b"), lastValues: cache) == .respond(.refusal(.notFound)))
    }

    @Test func anAliasPublishesToItsTopicUnderTheMountpoint() {
        let aliased = PubSubRouter(mountpoint: router.mountpoint, aliases: ["node-7/t": "sensors/node-7/temperature"])
        let request = CoAPRequest(method: .put, isConfirmable: false, path: "node-7/t", payload: [0x31])
        guard case let .publish(message, _, _) = aliased.decide(request, lastValues: empty) else {
            Issue.record("not a publish")
            return
        }
        #expect(message.topic == "site/gw/sensors/node-7/temperature")
        // Without the alias the same path is outside /ps.
        #expect(router.decide(request, lastValues: empty) == .respond(.refusal(.notFound)))
    }

    @Test func deleteClearsTheRetainedMessage() {
        let request = CoAPRequest(method: .delete, path: "ps/a", query: "qos=1")
        let expected = Message(topic: "site/gw/a", payload: ByteBuffer(), qos: .atLeastOnce, retain: true)
        #expect(router.decide(request, lastValues: empty) == .publish(expected, confirmable: true, success: .deleted))
        let retainQuery = CoAPRequest(method: .delete, path: "ps/a", query: "retain=0")
        guard case let .respond(answer) = router.decide(retainQuery, lastValues: empty) else {
            Issue.record("not refused")
            return
        }
        #expect(answer.code == .badRequest)
    }

    @Test(arguments: [CoAPRequest.Method.fetch, .patch, .iPatch, .other(8)])
    func otherMethodsAreNotAllowed(method: CoAPRequest.Method) {
        let decision = router.decide(CoAPRequest(method: method, path: "ps/a"), lastValues: empty)
        #expect(decision == .respond(.refusal(.methodNotAllowed)))
    }
}

/// Uri-Path segments are topic levels as sent (issue 20).
struct PubSubRouterPathTests {
    let router = PubSubRouter(mountpoint: try! Mountpoint("site/gw/")) // invariant: a literal, valid mountpoint
    let empty = LastValueCache(capacity: 4)

    @Test func aSegmentThatCannotBeALevelIsBadRequest() {
        let request = CoAPRequest(method: .put, path: "ps/a/b", pathError: "a Uri-Path segment holds \"/\"", payload: [1])
        guard case .respond(let answer) = router.decide(request, lastValues: empty) else {
            Issue.record("expected an answer")
            return
        }
        #expect(answer.code == .badRequest)
    }

    @Test func aWildcardLevelIsBadRequestForPutAndAFilterForObserve() {
        let put = CoAPRequest(method: .put, path: "ps/w/#", payload: [1])
        guard case .respond(let answer) = router.decide(put, lastValues: empty) else {
            Issue.record("expected an answer")
            return
        }
        #expect(answer.code == .badRequest)
        #expect(router.observableFilter(forPath: "ps/w/#", clientID: nil) == "site/gw/w/#")
        #expect(router.observableFilter(forPath: "ps/hash#x", clientID: nil) == nil)
    }
}
