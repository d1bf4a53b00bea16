import Logging
import MQTTCodec
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

extension Uplink {
    /// Connects and stays connected until graceful shutdown (or cancellation):
    /// then sends DISCONNECT with reason 0, so the broker discards the will,
    /// and returns. Connection failures never end it; they are retried with
    /// back-off and reported in `status`.
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await connectLoop()
            } onGracefulShutdown: {
                self.beginShutdown()
            }
        } onCancel: {
            self.beginShutdown()
        }
    }

    private func beginShutdown() {
        let core = self.core
        eventLoop.execute { core.value.shutdown() }
    }

    private func onLoop<Result: Sendable>(_ body: @escaping @Sendable (UplinkCore) -> Result) async -> Result? {
        let core = self.core
        return try? await eventLoop.submit { body(core.value) }.get()
    }

    private func connectLoop() async {
        var backoff = ReconnectBackoff(configuration.reconnect)
        var generator = SystemRandomNumberGenerator()
        let stableAfter = configuration.reconnect.stableAfter.timeAmount
        while await onLoop({ !$0.isStopped }) == true {
            await connectOnce()
            let outcome = await onLoop { $0.takeOutcome() }
            if let connectedFor = outcome?.connectedFor, connectedFor >= stableAfter {
                backoff.reset()
            }
            guard await onLoop({ !$0.isStopped }) == true else { break }
            let delay = backoff.nextDelay(using: &generator)
            logger.info("uplink reconnecting", metadata: ["in": "\(Self.milliseconds(delay))ms", "broker": "\(configuration.brokerDescription)"])
            let core = self.core
            try? await eventLoop.flatSubmit { core.value.waitBeforeReconnect(delay.timeAmount) }.get()
        }
        await onLoop { $0.finish() }
        logger.info("uplink stopped")
    }

    /// A delay in whole milliseconds, for the log.
    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    /// One connection, from TCP connect to close.
    private func connectOnce() async {
        let configuration = self.configuration
        let sslContext: NIOSSLContext?
        if configuration.useTLS {
            if configuration.tls.insecureSkipVerify {
                logger.warning(
                    "TLS certificate verification is OFF (insecure_skip_verify): the broker's identity is not checked and the connection can be intercepted",
                    metadata: ["broker": "\(configuration.brokerDescription)"]
                )
            }
            do {
                sslContext = try TLSContextFactory.makeContext(configuration.tls)
            } catch {
                await onLoop { $0.attemptFailed(error) }
                return
            }
        } else {
            sslContext = nil
        }
        let serverHostname = TLSContextFactory.serverHostname(tls: configuration.tls, host: configuration.host)
        let verifier = configuration.tls.insecureSkipVerify
            ? nil : ServerNameVerifier(expectedName: TLSContextFactory.verificationName(tls: configuration.tls, host: configuration.host))
        let core = self.core
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout.timeAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        if let verifier {
                            // Runs after BoringSSL verified the chain, before the handshake completes.
                            try pipeline.addHandler(NIOSSLClientHandler._makeSSLClientHandler(
                                context: sslContext,
                                serverHostname: serverHostname,
                                additionalPeerCertificateVerificationCallback: { certificate, channel in
                                    channel.eventLoop.makeCompletedFuture { try verifier.verify(certificate) }
                                }
                            ))
                        } else {
                            try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                        }
                    }
                    try pipeline.addHandler(
                        ByteToMessageHandler(
                            MQTTPacketDecoder(
                                version: configuration.protocolVersion,
                                maximumPacketSize: configuration.maximumIncomingPacketSize
                            )
                        )
                    )
                    try pipeline.addHandler(UplinkChannelHandler(core: core.value, version: configuration.protocolVersion))
                }
            }
        logger.debug("uplink connecting", metadata: ["broker": "\(configuration.brokerDescription)"])
        do {
            let channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
            try? await channel.closeFuture.get()
        } catch {
            let failure = UplinkError.translating(error, endpoint: configuration.endpoint)
            await onLoop { $0.attemptFailed(failure) }
        }
    }
}
