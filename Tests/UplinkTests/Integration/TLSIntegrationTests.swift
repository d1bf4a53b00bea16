import MQTTCodec
import NIOCore
import PerchCore
import PerchTestKit
import Testing
import Uplink

@Suite(.serialized) struct TLSIntegrationTests {
    @Test func verifiesTheBrokerAgainstTheConfiguredCA() async throws {
        try await withBroker(tls: .serverAuth) { broker in
            let subscription = try await broker.startSubscription(topic: "perch/tls", qos: 1)
            try await withRunningUplink(uplinkConfiguration(for: broker, clientID: "perch-tls")) { running in
                try await withTimeout(.seconds(10), "publish over TLS") {
                    try await running.uplink.publish(Message(topic: "perch/tls", text: "secure", qos: .atLeastOnce))
                }
                #expect(try await subscription.next(timeout: .seconds(10)).payloadString == "secure")
                #expect(running.uplink.status.broker == broker.url)
                #expect(running.uplink.status.broker.hasPrefix("mqtts://"))
            }
            await subscription.cancel()
        }
    }

    /// The certificate names `localhost`: SNI and verification use the
    /// configured server name. (swift-nio-ssl also accepts a certificate whose
    /// IP address SAN names the connected address, so a wrong name cannot be
    /// shown to fail against this fixture, whose certificate holds 127.0.0.1.)
    @Test func connectsWithAConfiguredServerName() async throws {
        try await withBroker(tls: .serverAuth) { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-sni")
            configuration.tls.serverName = "localhost"
            try await withRunningUplink(configuration) { running in
                try await waitForStatus(running.uplink, "connected") { $0.isConnected }
            }
        }
    }

    @Test func wrongCAIsRefusedAndSaysSo() async throws {
        try await withBroker(tls: .serverAuth) { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-wrong-ca")
            configuration.tls.caFile = broker.certificates.wrongCAFile
            try await withRunningUplink(configuration) { running in
                let status = try await waitForStatus(running.uplink, "a TLS failure") { $0.lastError != nil }
                let lastError = try #require(status.lastError)
                #expect(lastError.hasPrefix("TLS handshake with 127.0.0.1:\(broker.port) failed: "))
                #expect(lastError.contains("certificate verify failed"))
                #expect(!status.isConnected)
            }
        }
    }

    @Test func insecureSkipVerifyConnectsAndWarnsAtEveryConnect() async throws {
        try await withBroker(tls: .serverAuth) { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-insecure")
            configuration.tls.caFile = broker.certificates.wrongCAFile
            configuration.tls.insecureSkipVerify = true
            try await withRunningUplink(configuration) { running in
                try await waitForStatus(running.uplink, "connected") { $0.isConnected }
                #expect(running.logs.entries(containing: "verification is OFF").contains { $0.level == .warning })
            }
        }
    }

    @Test func mutualTLSPresentsTheClientCertificate() async throws {
        try await withBroker(tls: .mutual) { broker in
            let subscription = try await broker.startSubscription(topic: "perch/mtls", qos: 1)
            try await withRunningUplink(uplinkConfiguration(for: broker, clientID: "perch-mtls")) { running in
                try await withTimeout(.seconds(10), "publish over mutual TLS") {
                    try await running.uplink.publish(Message(topic: "perch/mtls", text: "mutual", qos: .exactlyOnce))
                }
                #expect(try await subscription.next(timeout: .seconds(10)).payloadString == "mutual")
            }
            await subscription.cancel()
        }
    }

    @Test func mutualTLSWithoutAClientCertificateFails() async throws {
        try await withBroker(tls: .mutual) { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-no-cert")
            configuration.tls.certificateFile = nil
            configuration.tls.keyFile = nil
            try await withRunningUplink(configuration) { running in
                let status = try await waitForStatus(running.uplink, "a failure") { $0.lastError != nil }
                #expect(!status.isConnected)
                let lastError = try #require(status.lastError)
                #expect(lastError.hasPrefix("TLS handshake with 127.0.0.1:\(broker.port) failed: "))
                #expect(lastError.contains("certificate required"))
            }
        }
    }

    @Test func unreadableCAFileIsReported() async throws {
        try await withBroker(tls: .serverAuth) { broker in
            var configuration = uplinkConfiguration(for: broker, clientID: "perch-no-ca")
            configuration.tls.caFile = broker.directory.file("does-not-exist.pem")
            try await withRunningUplink(configuration) { running in
                let status = try await waitForStatus(running.uplink, "a failure") { $0.lastError != nil }
                #expect(status.lastError?.hasPrefix("TLS configuration invalid: cannot read the CA file") == true)
            }
        }
    }
}
