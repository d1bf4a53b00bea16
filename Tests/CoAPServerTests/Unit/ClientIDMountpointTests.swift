@testable import CoAPServer
import MQTTCodec
import NIOCore
import PerchCore
import Testing

/// A `${clientid}` mountpoint resolved per request (SPEC §1, §4).
struct ClientIDMountpointTests {
    let router = PubSubRouter(mountpoint: try! Mountpoint("site/${clientid}/")) // invariant: a literal, valid mountpoint
    let empty = LastValueCache(capacity: 4)

    @Test func theClientIDFillsTheMountpoint() {
        let request = CoAPRequest(method: .put, isConfirmable: false, path: "ps/t", payload: [0x31], clientID: "node-7")
        let expected = Message(topic: "site/node-7/t", payload: ByteBuffer(bytes: [0x31]))
        #expect(router.decide(request, lastValues: empty) == .publish(expected, confirmable: false, success: .changed))
        #expect(router.observableFilter(forPath: "ps/t", clientID: "node-8") == "site/node-8/t")
    }

    @Test(arguments: [CoAPRequest.Method.put, .get, .delete])
    func noClientIDIsUnauthorized(method: CoAPRequest.Method) {
        guard case let .respond(answer) = router.decide(CoAPRequest(method: method, path: "ps/t"), lastValues: empty) else {
            Issue.record("not refused")
            return
        }
        #expect(answer.code == .unauthorized)
        #expect(answer.code.classAndDetail.klass == 4 && answer.code.classAndDetail.detail == 1)
        #expect(router.observableFilter(forPath: "ps/t", clientID: nil) == nil)
    }

    @Test(arguments: ["", "a+b", "a#", "a\u{0}b"])
    func aClientIDThatCannotBeInATopicIsUnauthorized(clientID: String) {
        let decision = router.decide(CoAPRequest(method: .put, path: "ps/t", clientID: clientID), lastValues: empty)
        guard case let .respond(answer) = decision else {
            Issue.record("not refused")
            return
        }
        #expect(answer.code == .unauthorized)
    }

    @Test func aMountpointWithoutTheVariableIgnoresTheClientID() {
        let plain = PubSubRouter(mountpoint: try! Mountpoint("site/gw/")) // invariant: a literal, valid mountpoint
        #expect(plain.observableFilter(forPath: "ps/t", clientID: nil) == "site/gw/t")
        #expect(plain.observableFilter(forPath: "ps/t", clientID: "node-7") == "site/gw/t")
    }

    @Test func lastValuesAreSeparatePerClient() {
        var cache = LastValueCache(capacity: 4)
        cache.record(Message(topic: "site/node-7/t", payload: ByteBuffer(string: "7")))
        let own = router.decide(CoAPRequest(method: .get, path: "ps/t", clientID: "node-7"), lastValues: cache)
        #expect(own == .respond(CoAPResponse(.content, payload: [0x37])))
        let other = router.decide(CoAPRequest(method: .get, path: "ps/t", clientID: "node-8"), lastValues: cache)
        #expect(other == .respond(.refusal(.notFound)))
    }
}
