import CoAPServer
import NIOCore
import PerchCore
import PerchTestKit
import Testing

extension CoAPIntegration {
    /// Observe on `/ps/{topic}` (RFC 7641) against the real `coap-client-openssl`.
    @Suite
    struct ObserveTests {
        @Test func observerIsNotifiedAndTheUpstreamSubscriptionFollowsTheObservation() async throws {
            try await withCoAPServer(mountpoint: "site/gw/") { client, upstream, server in
                // -s 6: observe for six seconds, then deregister (Observe=1).
                let child = try client.start("get", path: "ps/cmd/led", extraArguments: ["-s", "6"])
                let subscribed = try await upstream.events.next(within: .seconds(15), waitingFor: "the upstream subscription")
                #expect(subscribed == .subscribed("site/gw/cmd/led"))
                let registered = try await child.waitForLine(containing: "c:2.05", timeout: .seconds(10))
                #expect(registered.contains("Observe:"), "\(registered)")

                // The quoted payload is in the PDU line (stderr); the bare one
                // that coap-client prints on stdout may arrive first.
                // QoS 1: a confirmable notification.
                server.deliver(Message(topic: "site/gw/cmd/led", payload: ByteBuffer(string: "on-1"), qos: .atLeastOnce))
                let confirmable = try await child.waitForLine(containing: "'on-1'", timeout: .seconds(10))
                #expect(confirmable.contains("t:CON c:2.05"), "\(confirmable)")

                // QoS 0: a non-confirmable one.
                server.deliver(Message(topic: "site/gw/cmd/led", payload: ByteBuffer(string: "off-0")))
                let nonConfirmable = try await child.waitForLine(containing: "'off-0'", timeout: .seconds(10))
                #expect(nonConfirmable.contains("t:NON c:2.05"), "\(nonConfirmable)")

                // The client's observation ends: the last observer is gone.
                let unsubscribed = try await upstream.events.next(within: .seconds(15), waitingFor: "the upstream unsubscription")
                #expect(unsubscribed == .unsubscribed("site/gw/cmd/led"))
                try await child.waitForExit(timeout: .seconds(15))
            }
        }

        @Test func twoObserversShareOneUpstreamSubscription() async throws {
            try await withCoAPServer { client, upstream, server in
                let first = try client.start("get", path: "ps/shared", extraArguments: ["-s", "5"])
                let subscribed = try await upstream.events.next(within: .seconds(15), waitingFor: "the upstream subscription")
                #expect(subscribed == .subscribed("shared"))
                try await first.waitForLine(containing: "c:2.05", timeout: .seconds(10))
                let second = try client.start("get", path: "ps/shared", extraArguments: ["-s", "12"])
                try await second.waitForLine(containing: "c:2.05", timeout: .seconds(10))

                server.deliver(Message(topic: "shared", payload: ByteBuffer(string: "both")))
                try await first.waitForLine(containing: "'both'", timeout: .seconds(10))
                try await second.waitForLine(containing: "'both'", timeout: .seconds(10))

                // The first observer leaves; the second still gets messages.
                try await first.waitForExit(timeout: .seconds(15))
                server.deliver(Message(topic: "shared", payload: ByteBuffer(string: "second-only")))
                try await second.waitForLine(containing: "'second-only'", timeout: .seconds(10))

                // The next upstream event is the unsubscription (no second
                // subscribe before it), and it comes only once the second
                // client has ended its observation, seven seconds after the first.
                let unsubscribed = try await upstream.events.next(within: .seconds(20), waitingFor: "the upstream unsubscription")
                #expect(unsubscribed == .unsubscribed("shared"))
                // The upstream event can overtake the client's own log line:
                // read it only once the client has ended and its pipes are drained.
                try await second.waitForExit(timeout: .seconds(15))
                #expect(second.outputText.contains("clear observation relationship"), "\(second.outputTail())")
            }
        }

        @Test func aFilterIsObservedAndEveryMatchingMessageNotifies() async throws {
            try await withCoAPServer(mountpoint: "site/") { client, upstream, server in
                // SPEC §4: `+` URI-encoded in the path.
                let child = try client.start("get", path: "ps/cmd/%2B/state", extraArguments: ["-s", "8"])
                let subscribed = try await upstream.events.next(within: .seconds(15), waitingFor: "the upstream subscription")
                #expect(subscribed == .subscribed("site/cmd/+/state"))
                try await child.waitForLine(containing: "c:2.05", timeout: .seconds(10))

                server.deliver(Message(topic: "site/cmd/led/state", payload: ByteBuffer(string: "led-on")))
                try await child.waitForLine(containing: "'led-on'", timeout: .seconds(10))
                // Not matching: no notification; the next matching one comes next.
                server.deliver(Message(topic: "site/cmd/led/other", payload: ByteBuffer(string: "nope")))
                server.deliver(Message(topic: "site/cmd/fan/state", payload: ByteBuffer(string: "fan-off"), qos: .atLeastOnce))
                let confirmable = try await child.waitForLine(containing: "'fan-off'", timeout: .seconds(10))
                #expect(confirmable.contains("t:CON c:2.05"), "\(confirmable)")
                #expect(!child.outputText.contains("nope"), "\(child.outputTail())")

                let unsubscribed = try await upstream.events.next(within: .seconds(20), waitingFor: "the upstream unsubscription")
                #expect(unsubscribed == .unsubscribed("site/cmd/+/state"))
                try await child.waitForExit(timeout: .seconds(15))
            }
        }

        @Test func blockwisePutArrivesWhole() async throws {
            try await withCoAPServer { client, upstream, _ in
                let body = String((0..<4096).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
                let directory = try TemporaryDirectory()
                defer { directory.remove() }
                let file = try directory.write(body, to: "body.txt")
                let child = try client.start("put", path: "ps/big", extraArguments: ["-b", "256", "-f", file])
                let event = try await upstream.events.next(within: .seconds(15), waitingFor: "the enqueued message")
                #expect(event == .enqueued(Message(topic: "big", payload: ByteBuffer(string: body))))
                #expect(upstream.settleOldest(with: .success(())))
                try await child.waitForLine(containing: "c:2.04", timeout: .seconds(10))
                // The body went in several blocks (RFC 7959 §2.5).
                #expect(child.outputText.contains("Block1:"), "\(child.outputTail())")
                try await child.waitForExit(timeout: .seconds(10))
            }
        }

        @Test(arguments: [
            ("text/plain;charset=utf-8", "Content-Format:text/plain"),
            ("application/json", "Content-Format:application/json"),
        ])
        func largeAnswerGoesOutInBlocksWithItsFormat(contentType: String, label: String) async throws {
            try await withCoAPServer { client, _, server in
                let body = String(repeating: "0123456789", count: 300)
                server.deliver(Message(topic: "big", payload: ByteBuffer(string: body), contentType: contentType))
                let output = try await client.run("get", path: "ps/big")
                let blocks = output.coapResponses.filter { $0.contains("c:2.05") && $0.contains("Block2:") }
                // 3000 bytes in 1024-byte blocks (RFC 7959 §2.2), each with its format.
                #expect(blocks.count >= 3, "\(output)")
                #expect(blocks.allSatisfy { $0.contains(label) }, "\(output)")
            }
        }
    }
}
