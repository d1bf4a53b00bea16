import Logging
import NIOCore
import NIOPosix
import PerchCore
import ServiceLifecycle

extension MQTTSNServer {
    /// Loads the stored clients, binds every listener (`listeningAddresses()`
    /// returns from then on), serves until graceful shutdown or cancellation, then
    /// stops reading, writes the pending records and closes the sockets.
    ///
    /// Throws `MQTTSNServerError` when a listener cannot be bound or the records
    /// cannot be read: Perch does not run half a gateway.
    public func run() async throws {
        threadPool.start()
        var channels: [any Channel] = []
        do {
            // A bad advertise address fails the start like a bad listen address.
            if let advertise = configuration.advertiseAddress { _ = try Self.resolve(advertise) }
            try await restoreClients()
            channels = try await bindListeners()
        } catch {
            let failure = error as? MQTTSNServerError ?? .bindFailed(address: "?", reason: "\(error)")
            listening.fail(failure)
            for channel in channels { try? await channel.close() }
            try? await threadPool.shutdownGracefully()
            throw failure
        }

        await withTaskGroup(of: Void.self) { group in
            let subscriptions = self.subscriptions
            let upstream = self.upstream
            let logger = self.logger
            let engine = self.engine
            let eventLoop = self.eventLoop
            group.addTask {
                await subscriptions.drain(to: upstream, logger: logger) { filter, accepted in
                    eventLoop.execute { engine.value.subscriptionSettled(filter, accepted: accepted) }
                }
            }
            // Returns on graceful shutdown, and (throwing) on cancellation.
            try? await gracefulShutdown()
            await stop(channels)
            group.cancelAll()
        }
        try? await threadPool.shutdownGracefully()
        logger.info("MQTT-SN server stopped")
    }

    private func restoreClients() async throws {
        guard let store else { return }
        let records: [MQTTSNClientRecord<MQTTSNPeer>]
        do {
            records = try await threadPool.runIfActive {
                try store.loadClients(as: MQTTSNPeer.self)
            }
        } catch {
            throw MQTTSNServerError.loadFailed(reason: "\(error)")
        }
        logger.info("MQTT-SN clients restored", metadata: ["count": "\(records.count)"])
        let engine = self.engine
        try await eventLoop.submit { engine.value.restore(records) }.get()
    }

    private func bindListeners() async throws -> [any Channel] {
        var channels: [any Channel] = []
        var bound: [(channel: any Channel, isIPv6: Bool)] = []
        do {
            for (index, endpoint) in configuration.listen.enumerated() {
                let address = try Self.resolve(endpoint)
                let channel = try await bind(address, endpoint: endpoint, listener: index)
                channels.append(channel)
                bound.append((channel, address.protocol == .inet6))
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        let engine = self.engine
        let listeners = bound
        try await eventLoop.submit {
            engine.value.attach(listeners)
            engine.value.start()
        }.get()
        var addresses: [SocketAddress] = []
        var smallestBuffer = Int.max
        for (endpoint, channel) in zip(configuration.listen, channels) {
            let granted = try await channel.getOption(ChannelOptions.socketOption(.so_rcvbuf)).get()
            smallestBuffer = min(smallestBuffer, Int(granted))
            let local = channel.localAddress
            if let local { addresses.append(local) }
            // Linux doubles the size asked for (for its bookkeeping) after
            // clamping it to net.core.rmem_max: half of what it reports is the payload.
            let isClamped = Int(granted) / 2 < configuration.receiveBufferSize
            logger.info("MQTT-SN listening", metadata: [
                "address": "\(local.map { MQTTSNPeer(address: $0).description } ?? endpoint.description)",
                "receive_buffer": "\(granted)",
            ])
            if isClamped {
                logger.notice("the kernel granted a smaller UDP receive buffer than mqttsn.receive_buffer; raise net.core.rmem_max", metadata: [
                    "asked": "\(configuration.receiveBufferSize)", "granted": "\(Int(granted) / 2)",
                ])
            }
            try await channel.setOption(ChannelOptions.autoRead, value: true).get()
        }
        receiveBuffer.store(smallestBuffer == .max ? 0 : smallestBuffer, ordering: .relaxed)
        listening.succeed(addresses)
        return channels
    }

    private func bind(_ address: SocketAddress, endpoint: ListenAddress, listener: Int) async throws -> any Channel {
        let engine = self.engine
        let isIPv6 = address.protocol == .inet6
        let datagramSize = max(64, configuration.maximumDatagramSize)
        let perRead = max(1, configuration.datagramsPerRead)
        var bootstrap = DatagramBootstrap(group: eventLoop)
            .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: SocketOptionValue(clamping: configuration.receiveBufferSize))
            .channelOption(ChannelOptions.datagramVectorReadMessageCount, value: perRead)
            // With vector reads, NIO splits one buffer into `perRead` equal slots.
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: datagramSize * perRead))
            // Reading starts once every listener is bound and known to the engine.
            .channelOption(ChannelOptions.autoRead, value: false)
        if isIPv6 {
            // "[::]:1884" next to "0.0.0.0:1884": without V6ONLY the IPv6 socket
            // would take the IPv4 port too and the second bind would fail.
            bootstrap = bootstrap.channelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1)
        } else if configuration.advertiseAddress != nil {
            // MQTT-SN v1.2 §5.4.1: ADVERTISE is broadcast.
            bootstrap = bootstrap.channelOption(ChannelOptions.socketOption(.so_broadcast), value: 1)
        }
        bootstrap = bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(DatagramHandler(engine: engine.value, listener: listener))
            }
        }
        do {
            return try await bootstrap.bind(to: address).get()
        } catch let error as IOError {
            throw MQTTSNServerError.bindFailed(address: endpoint.description, reason: error.description)
        } catch {
            throw MQTTSNServerError.bindFailed(address: endpoint.description, reason: "\(error)")
        }
    }

    /// Graceful stop: no more reads, the records on disk, the sockets closed.
    private func stop(_ channels: [any Channel]) async {
        let engine = self.engine
        do {
            try await eventLoop.flatSubmit { engine.value.stopReading() }.get()
            try await eventLoop.flatSubmit { engine.value.flushRecords() }.get()
        } catch {
            logger.warning("MQTT-SN server did not stop cleanly", metadata: ["error": "\(error)"])
        }
        for channel in channels { try? await channel.close() }
        subscriptions.finish()
    }
}
