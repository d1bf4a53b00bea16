import CoAPServer
import NIOCore
import PerchCore
import Testing

extension CoAPIntegration {
    /// GET on `/ps/{topic}`, other methods and `/.well-known/core` (SPEC §4).
    @Suite
    struct ReadTests {
        @Test func getReturnsTheLastMessageSeenOnTheTopic() async throws {
            try await withCoAPServer(mountpoint: "m/") { client, upstream, server in
                let none = try await client.run("get", path: "ps/room/t")
                #expect(none.coapResponses.contains { $0.contains("c:4.04") }, "\(none)")

                _ = try await client.run("put", path: "ps/room/t", payload: "first", nonConfirmable: true)
                _ = try await upstream.events.next(within: .seconds(5), waitingFor: "the sent message")
                let first = try await client.run("get", path: "ps/room/t")
                #expect(first.coapResponses.contains { $0.contains("c:2.05") && $0.contains("'first'") }, "\(first)")

                // A downlink message on the same topic replaces it, with its format.
                server.deliver(Message(topic: "m/room/t", payload: ByteBuffer(string: "{}"), contentType: "application/json"))
                let second = try await client.run("get", path: "ps/room/t")
                let answer = try #require(second.coapResponses.first { $0.contains("c:2.05") }, "\(second)")
                #expect(answer.contains("'{}'"))
                #expect(answer.contains("Content-Format:application/json"), "\(answer)")
            }
        }

        @Test func textPlainContentFormatIsOnTheWire() async throws {
            try await withCoAPServer { client, upstream, _ in
                _ = try await client.run("put", path: "ps/x", payload: "hi", contentFormat: 0, nonConfirmable: true)
                _ = try await upstream.events.next(within: .seconds(5), waitingFor: "the sent message")
                let output = try await client.run("get", path: "ps/x")
                let answer = try #require(output.coapResponses.first { $0.contains("c:2.05") }, "\(output)")
                #expect(answer.contains("Content-Format:text/plain"), "\(answer)")
            }
        }

        @Test func deleteClearsTheRetainedMessageAndTheLastValue() async throws {
            try await withCoAPServer { client, upstream, _ in
                _ = try await client.run("put", path: "ps/d", payload: "v", nonConfirmable: true)
                _ = try await upstream.events.next(within: .seconds(5), waitingFor: "the sent message")
                let child = try client.start("delete", path: "ps/d")
                let event = try await upstream.events.next(within: .seconds(15), waitingFor: "the enqueued clear")
                #expect(event == .enqueued(Message(topic: "d", payload: ByteBuffer(), retain: true)))
                #expect(upstream.settleOldest(with: .success(())))
                try await child.waitForLine(containing: "c:2.02", timeout: .seconds(10))
                try await child.waitForExit(timeout: .seconds(10))
                let after = try await client.run("get", path: "ps/d")
                #expect(after.coapResponses.contains { $0.contains("c:4.04") }, "\(after)")
            }
        }

        @Test(arguments: ["fetch", "patch", "ipatch"])
        func otherMethodsAreNotAllowed(method: String) async throws {
            try await withCoAPServer { client, _, _ in
                let output = try await client.run(method, path: "ps/x", payload: "1")
                // libcoap 4.3.4 answers a FETCH without Content-Format itself,
                // 4.15, before any handler (RFC 8132 §2); 4.3.1 lets it through to
                // the 4.05 of a resource without a FETCH handler. Refused either way.
                let refusals = method == "fetch" ? ["c:4.05", "c:4.15"] : ["c:4.05"]
                #expect(output.coapResponses.contains { line in refusals.contains { line.contains($0) } }, "\(output)")
            }
        }

        @Test func pathsOutsidePubSubAreNotFound() async throws {
            try await withCoAPServer { client, _, _ in
                let output = try await client.run("put", path: "elsewhere/x", payload: "1")
                #expect(output.coapResponses.contains { $0.contains("c:4.04") }, "\(output)")
            }
        }

        @Test func anAliasIsListedAndPublishesToItsTopic() async throws {
            try await withCoAPServer(mountpoint: "gw/", aliases: ["node-7/t": "sensors/node-7/temperature"]) { client, upstream, _ in
                let links = try await client.run("get", path: ".well-known/core")
                #expect(links.coapResponses.contains { $0.contains("</node-7/t>") }, "\(links)")

                let output = try await client.run("put", path: "node-7/t", payload: "20", nonConfirmable: true)
                #expect(output.coapResponses.contains { $0.contains("c:2.04") }, "\(output)")
                let event = try await upstream.events.next(within: .seconds(5), waitingFor: "the sent message")
                #expect(event == .sent(Message(topic: "gw/sensors/node-7/temperature", payload: ByteBuffer(string: "20"))))

                let value = try await client.run("get", path: "ps/sensors/node-7/temperature")
                #expect(value.coapResponses.contains { $0.contains("c:2.05") && $0.contains("'20'") }, "\(value)")
            }
        }

        @Test func wellKnownCoreListsThePubSubFunctionSet() async throws {
            try await withCoAPServer { client, _, _ in
                let output = try await client.run("get", path: ".well-known/core")
                let answer = try #require(output.coapResponses.first { $0.contains("c:2.05") }, "\(output)")
                #expect(answer.contains("</ps>"), "\(answer)")
                #expect(answer.contains("rt=\"core.ps\""), "\(answer)")
                // /ps itself has no methods of its own (yet).
                let collection = try await client.run("get", path: "ps")
                #expect(collection.coapResponses.contains { $0.contains("c:4.05") }, "\(collection)")
            }
        }
    }
}
