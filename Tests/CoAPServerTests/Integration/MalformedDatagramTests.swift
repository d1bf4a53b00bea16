import CoAPServer
import NIOCore
import PerchCore
import Testing

extension CoAPIntegration {
    /// Datagrams that are not CoAP (RFC 7252 §3) reach `statistics().invalid`
    /// through libcoap's log, and the server keeps serving after them.
    @Suite
    struct MalformedDatagramTests {
        /// One malformed datagram, named after the rule it breaks, with the
        /// Message ID libcoap puts in its RST (0 where it cannot read one).
        struct Malformed: CustomTestStringConvertible, Sendable {
            let name: String
            let bytes: [UInt8]
            let resetMessageID: [UInt8]
            /// Whether this libcoap calls it malformed (and so counts it).
            var isCounted = true
            var testDescription: String { name }
        }

        /// libcoap 4.3.4 reads TKL 9–12 as token lengths (RFC 8974 keeps them
        /// reserved) and answers a request whose token is longer than 8 bytes
        /// with RST, RFC 8974 §2.2.2's "no extended tokens here", without
        /// calling it malformed: answered the same, but not counted. 4.3.1
        /// calls it malformed (RFC 7252 §3).
        static let readsTokenLengthNine: Bool = {
            let version = CoAPServer.libcoapVersion.split(separator: ".").compactMap { Int($0) }
            return !version.lexicographicallyPrecedes([4, 3, 4])
        }()

        static let malformed: [Malformed] = [
            // §3: the token is as long as TKL says; here 4 announced, 1 sent.
            Malformed(name: "token cut short", bytes: [0x44, 0x01, 0x12, 0x01, 0xAA], resetMessageID: [0x12, 0x01]),
            // §3: "Lengths 9-15 are reserved, MUST NOT be sent, and MUST be processed as a message format error."
            Malformed(
                name: "token length 9", bytes: [0x49, 0x01, 0x12, 0x02] + [UInt8](repeating: 7, count: 9), resetMessageID: [0x12, 0x02],
                isCounted: !readsTokenLengthNine),
            Malformed(name: "token length 15", bytes: [0x4F, 0x01, 0x12, 0x03] + [UInt8](repeating: 7, count: 15), resetMessageID: [0x12, 0x03]),
            // §3.1: option delta 15 is reserved except in the payload marker 0xFF.
            Malformed(name: "option delta 15 without payload marker", bytes: [0x40, 0x01, 0x12, 0x04, 0xF0], resetMessageID: [0x12, 0x04]),
            // §3: version 1 only; libcoap answers RST with Message ID 0.
            Malformed(name: "version 2", bytes: [0x80, 0x01, 0x12, 0x05], resetMessageID: [0x00, 0x00]),
        ]

        @Test(arguments: malformed)
        func aMalformedDatagramIsCountedAndAnsweredWithReset(_ datagram: Malformed) async throws {
            try await withCoAPServer { client, upstream, server in
                let before = await server.statistics()
                let socket = try DatagramSocket(port: client.port)
                try socket.send(datagram.bytes)
                // libcoap logs the datagram (which counts it) before it sends
                // the RST, both inside one coap_io_process pass on the
                // engine's queue; statistics() runs on that queue after it.
                let reset = try socket.receive()
                #expect(reset == [0x70, 0x00] + datagram.resetMessageID)
                let after = await server.statistics()
                #expect(after.invalid == before.invalid + (datagram.isCounted ? 1 : 0))
                #expect(after.requests == before.requests)

                try await expectServing(client, upstream, server)
            }
        }

        @Test func datagramsShorterThanTheHeaderAreDroppedWithoutCount() async throws {
            try await withCoAPServer { client, upstream, server in
                let before = await server.statistics()
                let socket = try DatagramSocket(port: client.port)
                // libcoap 4.3.1 ignores a runt in coap_handle_dgram before
                // parsing or logging anything (only a debug line, "received 3
                // bytes", shows it): no RST, no count.
                try socket.send([0x40, 0x01, 0x12])
                try socket.send([0x40])
                try socket.send([])
                // Datagrams from one socket are handled in order: the RST for
                // this one comes after the runts were read.
                try socket.send([0x4F, 0x01, 0x12, 0x06] + [UInt8](repeating: 7, count: 15))
                let reset = try socket.receive()
                #expect(reset == [0x70, 0x00, 0x12, 0x06])
                let after = await server.statistics()
                #expect(after.invalid == before.invalid + 1)

                try await expectServing(client, upstream, server)
            }
        }

        @Test func everyMalformedDatagramCountsOnce() async throws {
            try await withCoAPServer { client, upstream, server in
                let before = await server.statistics()
                let socket = try DatagramSocket(port: client.port)
                for datagram in Self.malformed {
                    try socket.send(datagram.bytes)
                    #expect(try socket.receive() == [0x70, 0x00] + datagram.resetMessageID, "\(datagram.name)")
                }
                let after = await server.statistics()
                #expect(after.invalid == before.invalid + UInt64(Self.malformed.filter(\.isCounted).count))
                try await expectServing(client, upstream, server)
            }
        }

        @Test func anUnknownCriticalOptionIsAnsweredByLibCoAPAndNotCounted() async throws {
            try await withCoAPServer { client, upstream, server in
                let before = await server.statistics()
                let socket = try DatagramSocket(port: client.port)
                // CON GET, token 0x01, Uri-Path "ps" (11), "x" (delta 0), then
                // option 25 (odd: critical, RFC 7252 §5.4.1; unassigned).
                let request: [UInt8] = [0x41, 0x01, 0x12, 0x07, 0x01, 0xB2, 0x70, 0x73, 0x01, 0x78, 0xD0, 0x01]
                try socket.send(request)
                let answer = try socket.receive()
                // ACK 4.02 Bad Option (§5.4.1), sent by libcoap before any handler runs.
                #expect(Array(answer.prefix(4)) == [0x61, 0x82, 0x12, 0x07])
                let after = await server.statistics()
                #expect(after.invalid == before.invalid)
                #expect(after.requests == before.requests)
                try await expectServing(client, upstream, server)
            }
        }

        /// A well-formed NON PUT from coap-client after the bad datagrams:
        /// answered 2.04, published, and counted as a request, not as invalid.
        private func expectServing(_ client: CoAPClient, _ upstream: RecordingUpstream, _ server: CoAPServer) async throws {
            let before = await server.statistics()
            let output = try await client.run("put", path: "ps/after", payload: "ok", nonConfirmable: true)
            #expect(output.coapResponses.contains { $0.contains("c:2.04") }, "\(output)")
            let event = try await upstream.events.next(within: .seconds(5), waitingFor: "the message after the malformed ones")
            #expect(event == .sent(Message(topic: "after", payload: ByteBuffer(string: "ok"))))
            let after = await server.statistics()
            #expect(after.requests == before.requests + 1)
            #expect(after.invalid == before.invalid)
        }
    }
}
