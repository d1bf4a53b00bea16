internal import CLibCoAP
import Dispatch
import Logging
import PerchCore

/// Owns libcoap's context and everything libcoap touches.
///
/// libcoap 4.3.1 is not thread-safe, so the engine is confined to `queue`: its
/// methods are called only there (the server hands work over with
/// `queue.async`), the read source for libcoap's epoll fd fires there, and the
/// C callbacks run inside `coap_io_process`, which runs there too. libcoap
/// keeps its own timerfd in that epoll set, so retransmissions and session
/// timeouts wake the same source: no extra timer.
// The confinement above is what makes sharing it safe: no stored property is
// read or written off `queue`.
final class CoAPEngine: @unchecked Sendable {
    /// The one serial executor for every libcoap call.
    let queue = DispatchQueue(label: "perch.coap.engine")

    let configuration: CoAPServer.Configuration
    let upstream: any CoAPUpstream
    let logger: Logger
    var router: PubSubRouter
    /// The resource of each configured alias, by path.
    var aliasResources: [String: OpaquePointer] = [:]

    var lastValues: LastValueCache
    var pending = PendingPublishes()
    /// How many debug lines each peer may cause (`CoAPEngine+Logging`).
    var debugBudget = PeerLogBudget<String, ContinuousClock.Instant>()
    /// When each observed topic last had a confirmable notification (RFC 7641 §4.5).
    var lastConfirmable: [String: ContinuousClock.Instant] = [:]
    /// Block-wise request bodies being received (RFC 7959 §2.5).
    var blocks: Block1Assembler
    var statistics = CoAPServerStatistics()
    var observers = ObserverRegistry()
    /// The observable resources of each topic: `ps/{topic}` once observed, and its aliases.
    var topicResources: [String: [OpaquePointer]] = [:]
    /// The observed filters holding `+` or `#`, parsed once: a message is
    /// matched against each to find the observations it notifies.
    var observedFilters: [String: TopicFilter] = [:]
    /// libcoap's unknown-path resource, which cannot be observed itself.
    var unknownResource: OpaquePointer?
    /// The last upstream (un)subscription: each waits for the one before, so
    /// they reach the upstream in the order the observers came and went.
    var subscriptionTail: Task<Void, Never>?

    /// The DTLS keys, between `start()` and `stop()` when `coaps://` is on;
    /// freed only after the context that hands them out.
    var preSharedKeys: PreSharedKeyStore?

    /// `LibCoAPLogTap.malformedDatagrams` when this engine started; `nil` when not running.
    private var malformedBaseline: UInt64?

    /// The `coap_context_t`, between `start()` and `stop()`.
    private(set) var context: OpaquePointer?
    private var readSource: (any DispatchSourceRead)?

    init(configuration: CoAPServer.Configuration, upstream: any CoAPUpstream, logger: Logger) {
        self.configuration = configuration
        self.upstream = upstream
        self.logger = logger
        self.router = PubSubRouter(
            mountpoint: configuration.mountpoint, aliases: configuration.aliases,
            maximumPayloadBytes: configuration.maximumPayloadBytes)
        self.lastValues = LastValueCache(capacity: configuration.lastValueCapacity)
        self.blocks = Block1Assembler(maximumBytes: configuration.maximumPayloadBytes)
    }

    deinit {
        // Nothing else can reach the engine any more, so no libcoap call can race this one.
        if let context { coap_free_context(context) }
    }

    /// The addresses the engine is bound to, ports filled in where 0 was asked.
    struct BoundAddresses: Sendable {
        /// `coap://` listeners.
        var plain: [ListenAddress] = []
        /// `coaps://` listeners.
        var secure: [ListenAddress] = []
    }

    /// Creates the context, binds every listener, adds the resources and starts
    /// reading; returns the bound addresses.
    ///
    /// With no listen address at all (neither `listen` nor `dtls.listen`) it
    /// serves nothing and returns none (CoAP turned off, not an error).
    func start() throws(CoAPServerError) -> BoundAddresses {
        dispatchPrecondition(condition: .onQueue(queue))
        // coap_startup only sets up libcoap's globals (clock, PRNG) and returns at
        // once when called again, so each engine calls it rather than keeping a
        // process-wide flag.
        coap_startup()
        // Before the first datagram: it may be one that only the log reveals.
        LibCoAPLogTap.install(logger: logger)
        malformedBaseline = LibCoAPLogTap.malformedDatagrams.load(ordering: .relaxed)
        guard let context = coap_new_context(nil) else { throw .contextCreationFailed }
        self.context = context
        // RFC 7959 by libcoap, set before any session exists: a large answer
        // leaves in blocks, and a block-wise PUT reaches the handler one block
        // at a time for `Block1Assembler` (not COAP_BLOCK_SINGLE_BODY, whose
        // 4.3.1 code needs Size1: see Block1Assembler and Docs/coap.md).
        coap_context_set_block_mode(context, perch_coap_block_mode())
        coap_set_app_data(context, Unmanaged.passUnretained(self).toOpaque())
        coap_register_event_handler(context, Self.eventHandler)
        coap_register_nack_handler(context, Self.nackHandler)
        do throws(CoAPServerError) {
            var bound = BoundAddresses()
            for address in configuration.listen {
                bound.plain.append(try bind(address, protocol: COAP_PROTO_UDP, in: context))
            }
            if let dtls = configuration.dtls {
                try enableDTLS(dtls, in: context)
                for address in dtls.listen {
                    bound.secure.append(try bind(address, protocol: COAP_PROTO_DTLS, in: context))
                }
            }
            try addResources(to: context)
            try startReading(context)
            for address in bound.plain {
                logger.info("CoAP listening", metadata: ["address": "\(address)"])
            }
            for address in bound.secure {
                logger.info("CoAP listening (DTLS)", metadata: ["address": "\(address)"])
            }
            if bound.plain.isEmpty && bound.secure.isEmpty {
                logger.notice("CoAP has no listen address: serving nothing")
            }
            return bound
        } catch {
            stop()
            throw error
        }
    }

    /// Stops reading and frees the context with its endpoints, sessions,
    /// resources and pending separate responses.
    func stop() {
        dispatchPrecondition(condition: .onQueue(queue))
        readSource?.cancel()
        readSource = nil
        pending.removeAll()
        statistics.pendingPublishes = 0
        for topic in observers.removeAll() {
            changeSubscription(.unsubscribe(topic))
        }
        topicResources.removeAll()
        observedFilters.removeAll()
        lastConfirmable.removeAll()
        blocks.removeAll()
        unknownResource = nil
        if let context {
            // Freeing ends every session: no event may reach the engine now.
            coap_register_event_handler(context, nil)
            coap_register_nack_handler(context, nil)
            coap_free_context(context)
            self.context = nil
        }
        preSharedKeys = nil
        // Keep what this run counted; later malformed datagrams are not ours.
        statistics.invalid += malformedSinceStart
        malformedBaseline = nil
    }

    /// The counters as the status shows them: `invalid` includes the
    /// datagrams libcoap discarded as malformed while this engine ran.
    func currentStatistics() -> CoAPServerStatistics {
        dispatchPrecondition(condition: .onQueue(queue))
        var current = statistics
        current.invalid += malformedSinceStart
        current.observers = observers.total
        return current
    }

    /// Malformed datagrams since `start()`. The count is process-wide (see
    /// `LibCoAPLogTap`): a second server running in the same process would
    /// add its own.
    private var malformedSinceStart: UInt64 {
        guard let malformedBaseline else { return 0 }
        return LibCoAPLogTap.malformedDatagrams.load(ordering: .relaxed) &- malformedBaseline
    }

    /// Lets libcoap read, answer, retransmit and expire whatever is due, without
    /// blocking; libcoap then re-arms its timerfd for the next deadline.
    func processIO() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let context else { return }
        if coap_io_process(context, perch_coap_io_no_wait()) < 0 {
            logger.warning("libcoap I/O processing failed")
        }
    }

    /// Remembers a message for GET `/ps/{topic}`.
    ///
    /// A retained message the broker replays because perchd just subscribed
    /// (MQTT 5.0 §3.3.1.3: RETAIN set on delivery) that is the topic's last
    /// value already went to its observers in their registration's 2.05: it
    /// is not sent again as a notification (issue 20).
    func remember(_ message: Message) {
        dispatchPrecondition(condition: .onQueue(queue))
        let isKnownReplay = message.retain && lastValues.message(on: message.topic).map {
            $0.payload == message.payload && $0.contentType == message.contentType
        } == true
        lastValues.record(message)
        notifyObservers(of: message, skippingTopic: isKnownReplay)
        // Outside coap_io_process (a downlink): send the notifications now.
        processIO()
    }

    private func startReading(_ context: OpaquePointer) throws(CoAPServerError) {
        // Debian's libcoap is built with epoll: one fd covers every socket and the timerfd.
        let fd = coap_context_get_coap_fd(context)
        guard fd >= 0 else { throw .contextCreationFailed }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [unowned self] in self.processIO() }
        source.resume()
        readSource = source
        // The first pass arms libcoap's timers.
        processIO()
    }
}
