import CoAPServer
import Foundation
import Glibc
import PerchCore
import PerchTestKit
import Testing

extension CoAPIntegration {
    /// `coap.receive_buffer`: SO_RCVBUF on the endpoint sockets libcoap keeps to itself.
    @Suite
    struct ReceiveBufferTests {
        private static let asked = 4 * 1024 * 1024
        private static let loopback = ListenAddress(host: "127.0.0.1", port: 0)

        /// Runs a server with `configuration` for the length of `body`, which gets
        /// the bound `coap://` and `coaps://` ports.
        private static func withServer(
            _ configuration: CoAPServer.Configuration,
            _ body: @Sendable (_ server: CoAPServer, _ plain: [Int], _ secure: [Int]) async throws -> Void
        ) async throws {
            let upstream = RecordingUpstream()
            let server = CoAPServer(configuration: configuration, upstream: upstream, logger: InMemoryLogStore().makeLogger(label: "coap"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                defer { upstream.finish() }
                let plain = try await withTimeout(.seconds(10), waitingFor: "the listeners") {
                    try await server.listeningAddresses()
                }
                let secure = try await server.secureListeningAddresses()
                try await body(server, plain.map(\.port), secure.map(\.port))
                group.cancelAll()
                try await group.waitForAll()
            }
        }

        @Test func plainAndDTLSSocketsGetTheBufferAskedFor() async throws {
            let configuration = CoAPServer.Configuration(
                listen: [Self.loopback],
                dtls: CoAPServer.DTLS(listen: [Self.loopback], keys: testKeys),
                receiveBufferSize: Self.asked
            )
            try await Self.withServer(configuration) { server, plain, secure in
                let ports = plain + secure
                #expect(ports.count == 2)
                for port in ports {
                    let found = try LoopbackUDPSockets.receiveBuffers(port: port)
                    #expect(found.count == 1, "one socket on port \(port)")
                    for size in found {
                        // Run as root, SO_RCVBUFFORCE passes net.core.rmem_max; otherwise
                        // SO_RCVBUF is capped there and only has to have changed at all.
                        if getuid() == 0 { #expect(size >= Self.asked) } else { #expect(size > 0) }
                    }
                }
                let granted = try #require(await server.statistics().receiveBufferSize)
                if getuid() == 0 { #expect(granted >= Self.asked) }
                let smallest = try ports.flatMap { try LoopbackUDPSockets.receiveBuffers(port: $0) }.min()
                #expect(granted == smallest)
            }
        }

        @Test func otherUDPSocketsOfTheProcessAreLeftAlone() async throws {
            let bystander = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            try #require(bystander >= 0)
            defer { close(bystander) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(bystander, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(bound == 0)
            let before = try LoopbackUDPSockets.receiveBuffer(of: bystander)
            let configuration = CoAPServer.Configuration(listen: [Self.loopback], receiveBufferSize: Self.asked)
            try await Self.withServer(configuration) { _, plain, _ in
                #expect(plain.count == 1)
                let after = try LoopbackUDPSockets.receiveBuffer(of: bystander)
                #expect(after == before)
            }
        }

        @Test func withoutASizeTheKernelDefaultStays() async throws {
            let configuration = CoAPServer.Configuration(listen: [Self.loopback])
            try await Self.withServer(configuration) { server, plain, _ in
                let port = try #require(plain.first)
                let found = try LoopbackUDPSockets.receiveBuffers(port: port)
                #expect(found.count == 1)
                let defaultSize = try String(contentsOfFile: "/proc/sys/net/core/rmem_default", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(found.map(String.init) == [defaultSize])
                #expect(await server.statistics().receiveBufferSize == nil)
            }
        }
    }
}

/// The test's own look at the process's sockets, independent of the server's.
enum LoopbackUDPSockets {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// SO_RCVBUF of every UDP socket of this process bound to 127.0.0.1:`port`.
    static func receiveBuffers(port: Int) throws -> [Int] {
        let entries = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        var sizes: [Int] = []
        for entry in entries {
            guard let fd = Int32(entry), isLoopbackUDP(fd, port: port) else { continue }
            sizes.append(try receiveBuffer(of: fd))
        }
        return sizes
    }

    /// SO_RCVBUF as the kernel reports it (twice the payload size on Linux).
    static func receiveBuffer(of fd: Int32) throws -> Int {
        var size: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &length) == 0 else {
            throw Failure(description: "getsockopt SO_RCVBUF: errno \(errno)")
        }
        return Int(size)
    }

    private static func isLoopbackUDP(_ fd: Int32, port: Int) -> Bool {
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0, type == Int32(SOCK_DGRAM.rawValue) else { return false }
        var address = sockaddr_in()
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
        }
        guard status == 0, address.sin_family == sa_family_t(AF_INET) else { return false }
        return Int(UInt16(bigEndian: address.sin_port)) == port && address.sin_addr.s_addr == inet_addr("127.0.0.1")
    }
}
