import CoAPServer
import MQTTCodec
import NIOCore
import PerchCore
import Testing

extension CoAPIntegration {
    /// `coaps://` with pre-shared keys against the real `coap-client-openssl`
    /// (SPEC §4: the PSK identity is the client id).
    @Suite
    struct DTLSTests {
        /// How long a client that cannot complete its handshake may try: libcoap's
        /// client keeps retrying a failed handshake until `timeout` ends it.
        static let refusedLimit = Duration.seconds(4)

        @Test func rightKeyPublishesUnderTheIdentitysMountpoint() async throws {
            try await withDTLSServer(mountpoint: "site/${clientid}/") { harness in
                let client = harness.client(identity: "node-7", key: "secret-of-node-7")
                let child = try client.start("put", path: "ps/t?qos=1", payload: "21.5", contentFormat: 0)
                let event = try await harness.upstream.events.next(within: .seconds(15), waitingFor: "the enqueued message")
                let expected = Message(
                    topic: "site/node-7/t", payload: ByteBuffer(string: "21.5"),
                    qos: .atLeastOnce, contentType: "text/plain;charset=utf-8"
                )
                #expect(event == .enqueued(expected))
                #expect(harness.upstream.settleOldest(with: .success(())))
                try await child.waitForLine(containing: "c:2.04", timeout: .seconds(10))
                let status = try await child.waitForExit(timeout: .seconds(10))
                #expect(status.isSuccess, "\(child.outputTail())")
            }
        }

        @Test(arguments: [
            ("node-7", "not-the-key"),       // a known identity, the wrong key
            ("node-99", "secret-of-node-7"), // an identity with no key
        ])
        func refusedHandshakePublishesNothing(identity: String, key: String) async throws {
            try await withDTLSServer { harness in
                let refused = try await harness.client(identity: identity, key: key)
                    .run("put", path: "ps/refused", payload: "x", nonConfirmable: true, limit: Self.refusedLimit)
                #expect(!refused.contains("2.04"), "\(refused)")
                // An unknown identity is logged with its name. A wrong key is not
                // seen at all: DTLS drops records that fail their MAC (RFC 6347
                // §4.1.2.7), so the handshake just never completes.
                let logged = harness.logs.entries(containing: "unknown PSK identity")
                if testKeys[identity] == nil {
                    #expect(logged.contains { $0.metadata["identity"] == "\(identity)" }, "\(harness.logs.entries)")
                } else {
                    #expect(logged.isEmpty, "\(logged)")
                }
                // The upstream's first event is the next client's message: nothing
                // from the refused one reached it before.
                try await expectFirstEventIsFromAnAcceptedClient(harness)
            }
        }

        @Test func dtlsOnlyConfigurationHasNoPlainListener() async throws {
            try await withDTLSServer(plain: false) { harness in
                #expect(harness.plainPort == nil)
                #expect(try await harness.server.listeningAddresses().isEmpty)
                // Plain CoAP sent to the coaps port is not a DTLS record: no answer.
                let plain = try await CoAPClient(port: harness.securePort)
                    .run("put", path: "ps/plain", payload: "x", nonConfirmable: true, limit: Self.refusedLimit)
                #expect(!plain.contains("2.04"), "\(plain)")
                try await expectFirstEventIsFromAnAcceptedClient(harness)
            }
        }

        @Test func plainCoAPWithAClientIDMountpointIsUnauthorized() async throws {
            try await withDTLSServer(mountpoint: "site/${clientid}/") { harness in
                let port = try #require(harness.plainPort)
                let output = try await CoAPClient(port: port).run("put", path: "ps/t", payload: "x")
                let responses = output.coapResponses
                #expect(responses.contains { $0.contains("c:4.01") }, "\(output)")
                // GET and Observe are refused the same way: no topic without an identity.
                let get = try await CoAPClient(port: port).run("get", path: "ps/t")
                #expect(get.coapResponses.contains { $0.contains("c:4.01") }, "\(get)")
                try await expectFirstEventIsFromAnAcceptedClient(harness, topic: "site/node-8/ok")
            }
        }

        @Test func lastValueIsPerIdentity() async throws {
            try await withDTLSServer(mountpoint: "site/${clientid}/") { harness in
                let seven = harness.client(identity: "node-7", key: "secret-of-node-7")
                let eight = harness.client(identity: "node-8", key: "secret-of-node-8")
                let put = try await seven.run("put", path: "ps/t", payload: "7.7", nonConfirmable: true)
                #expect(put.coapResponses.contains { $0.contains("c:2.04") }, "\(put)")
                let own = try await seven.run("get", path: "ps/t")
                #expect(own.coapResponses.contains { $0.contains("c:2.05") }, "\(own)")
                #expect(own.contains("7.7"), "\(own)")
                // node-8's ps/t is site/node-8/t: nothing there.
                let other = try await eight.run("get", path: "ps/t")
                #expect(other.coapResponses.contains { $0.contains("c:4.04") }, "\(other)")
                #expect(!other.contains("7.7"), "\(other)")
            }
        }

        @Test func observersWithTwoIdentitiesObserveTwoTopics() async throws {
            try await withDTLSServer(mountpoint: "site/${clientid}/") { harness in
                let seven = try harness.client(identity: "node-7", key: "secret-of-node-7")
                    .start("get", path: "ps/cmd", extraArguments: ["-s", "6"])
                let first = try await harness.upstream.events.next(within: .seconds(15), waitingFor: "node-7's subscription")
                #expect(first == .subscribed("site/node-7/cmd"))
                try await seven.waitForLine(containing: "c:2.05", timeout: .seconds(10))
                let eight = try harness.client(identity: "node-8", key: "secret-of-node-8")
                    .start("get", path: "ps/cmd", extraArguments: ["-s", "6"])
                let second = try await harness.upstream.events.next(within: .seconds(15), waitingFor: "node-8's subscription")
                #expect(second == .subscribed("site/node-8/cmd"))
                try await eight.waitForLine(containing: "c:2.05", timeout: .seconds(10))

                harness.server.deliver(Message(topic: "site/node-8/cmd", payload: ByteBuffer(string: "for-eight")))
                try await eight.waitForLine(containing: "'for-eight'", timeout: .seconds(10))
                try await seven.waitForExit(timeout: .seconds(15))
                try await eight.waitForExit(timeout: .seconds(15))
                #expect(!seven.outputText.contains("for-eight"), "\(seven.outputTail())")

                var released: [RecordingUpstream.Event] = []
                for _ in 0..<2 {
                    released.append(try await harness.upstream.events.next(within: .seconds(15), waitingFor: "an unsubscription"))
                }
                #expect(released.contains(.unsubscribed("site/node-7/cmd")), "\(released)")
                #expect(released.contains(.unsubscribed("site/node-8/cmd")), "\(released)")
            }
        }

        /// Publishes with node-8's right key and expects that message to be the
        /// upstream's first event.
        private func expectFirstEventIsFromAnAcceptedClient(_ harness: DTLSHarness, topic: String = "ok") async throws {
            let accepted = try await harness.client(identity: "node-8", key: "secret-of-node-8")
                .run("put", path: "ps/ok", payload: "y", nonConfirmable: true)
            #expect(accepted.coapResponses.contains { $0.contains("c:2.04") }, "\(accepted)")
            let event = try await harness.upstream.events.next(within: .seconds(5), waitingFor: "the accepted message")
            #expect(event == .sent(Message(topic: topic, payload: ByteBuffer(string: "y"))))
        }
    }
}
