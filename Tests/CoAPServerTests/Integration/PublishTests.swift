import CoAPServer
import MQTTCodec
import NIOCore
import PerchCore
import PerchTestKit
import Testing

extension CoAPIntegration {
    /// PUT and POST on `/ps/{topic}` against the real `coap-client-openssl` (SPEC §4, §5).
    @Suite
    struct PublishTests {
        @Test func confirmablePutIsAnsweredOnlyOnceTheUpstreamHasTheMessage() async throws {
            try await withCoAPServer(mountpoint: "site/gw/") { client, upstream, _ in
                let child = try client.start("put", path: "ps/sensors/t1?qos=1&retain=true", payload: "21.5", contentFormat: 0)
                let event = try await upstream.events.next(within: .seconds(15), waitingFor: "the enqueued message")
                let expected = Message(
                    topic: "site/gw/sensors/t1", payload: ByteBuffer(string: "21.5"),
                    qos: .atLeastOnce, retain: true, contentType: "text/plain;charset=utf-8"
                )
                #expect(event == .enqueued(expected))

                // RFC 7252 §5.2.2: the request is acknowledged empty, the answer waits.
                try await child.waitForLine(containing: "t:ACK c:0.00", timeout: .seconds(10))
                #expect(child.isRunning)
                #expect(!child.outputText.coapResponses.contains { $0.contains("c:2.04") })

                #expect(upstream.settleOldest(with: .success(())))
                try await child.waitForLine(containing: "c:2.04", timeout: .seconds(10))
                let status = try await child.waitForExit(timeout: .seconds(10))
                #expect(status.isSuccess, "\(child.outputTail())")
                // The separate response is confirmable (libcoap retransmits it until acknowledged).
                #expect(child.outputText.contains("t:CON c:2.04"))
            }
        }

        @Test func refusedUpstreamAnswersServiceUnavailableWithMaxAge() async throws {
            try await withCoAPServer { client, upstream, _ in
                let child = try client.start("post", path: "ps/a/b", payload: "x")
                _ = try await upstream.events.next(within: .seconds(15), waitingFor: "the enqueued message")
                #expect(upstream.settleOldest(with: .failure(UpstreamRefused())))
                let line = try await child.waitForLine(containing: "c:5.03", timeout: .seconds(10))
                // Max-Age is the configured retryAfterSeconds (7).
                #expect(line.contains("Max-Age:7"), "\(line)")
                try await child.waitForExit(timeout: .seconds(10))
            }
        }

        @Test func bodyAboveTheLimitIsAnsweredTooLargeWithSize1() async throws {
            try await withCoAPServer { client, upstream, _ in
                let directory = try TemporaryDirectory()
                defer { directory.remove() }
                let file = try directory.write(String(repeating: "x", count: 65_537), to: "body.txt")
                let child = try client.start("put", path: "ps/big", extraArguments: ["-b", "1024", "-f", file])
                try await child.waitForExit(timeout: .seconds(30))
                let output = child.outputText
                let refusal = output.coapResponses.first { $0.contains("c:4.13") }
                #expect(refusal?.contains("Size1:65536") == true, "\(output.suffix(2000))")
                // Nothing went upstream: the next event is a later, small publish.
                _ = try await client.run("put", path: "ps/small", payload: "1", nonConfirmable: true)
                let event = try await upstream.events.next(within: .seconds(5), waitingFor: "the small message")
                #expect(event == .sent(Message(topic: "small", payload: ByteBuffer(string: "1"))))
            }
        }

        @Test func nonConfirmablePutIsSentAndAnswered() async throws {
            try await withCoAPServer { client, upstream, _ in
                let output = try await client.run("put", path: "ps/n/1", payload: "{\"v\":1}", contentFormat: 50, nonConfirmable: true)
                let event = try await upstream.events.next(within: .seconds(5), waitingFor: "the sent message")
                let expected = Message(
                    topic: "n/1", payload: ByteBuffer(string: "{\"v\":1}"), contentType: "application/json"
                )
                #expect(event == .sent(expected))
                #expect(output.coapResponses.contains { $0.contains("t:NON c:2.04") }, "\(output)")
            }
        }

        @Test(arguments: [
            "ps/t?qos=3", "ps/t?qos=", "ps/t?retain=yes", "ps/t?colour=red", "ps/t?qos=1&qos=2", "ps/a/%2B/b",
        ])
        func badQueryOrTopicIsBadRequest(path: String) async throws {
            try await withCoAPServer { client, _, server in
                let output = try await client.run("put", path: path, payload: "1")
                let responses = output.coapResponses
                #expect(responses.contains { $0.contains("c:4.00") }, "\(output)")
                // The diagnostic payload says what was wrong.
                #expect(responses.contains { $0.contains("bad ") }, "\(output)")
                let statistics = await server.statistics()
                #expect(statistics.invalid == 1)
            }
        }
    }
}
