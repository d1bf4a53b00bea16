import Logging
import NIOCore
import PerchCore
import ServiceLifecycle
import Synchronization

/// The Pi's own pins as a `Service` (SPEC §6): commands from
/// `{prefix}/{name}/set` drive outputs, every change is read back and
/// published retained on `{prefix}/{name}/state`, inputs publish on each
/// debounced edge and at start, Home Assistant learns about every pin.
///
/// A chip that cannot be opened does not stop perchd: the service logs why,
/// shows it in the status (`gpio_info.error`) and waits for shutdown, and
/// every other part keeps running.
public final class GPIOService: Service, Sendable {
    /// Opens the configured chip; perchd passes `GPIOChips.open`, tests a simulated chip.
    public typealias ChipOpener = @Sendable () throws(GPIOError) -> any GPIOChip

    let configuration: Configuration
    private let openChip: ChipOpener
    private let upstream: any GPIOUpstream
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let runtime: NIOLoopBoundBox<GPIOPinRuntime?>
    private let latestStatus: Mutex<GPIOStatus>
    /// The pins now: the configuration's until a reload changes them.
    private let pins: Mutex<[GPIOPin]>

    /// Creates the service; nothing is opened before `run()`.
    public init(
        configuration: Configuration,
        openChip: @escaping ChipOpener,
        upstream: any GPIOUpstream,
        eventLoop: any EventLoop,
        logger: Logger
    ) {
        self.configuration = configuration
        self.openChip = openChip
        self.upstream = upstream
        self.eventLoop = eventLoop
        self.logger = logger
        self.runtime = NIOLoopBoundBox.makeEmptyBox(valueType: GPIOPinRuntime.self, eventLoop: eventLoop)
        self.latestStatus = Mutex(GPIOStatus(pins: [:], chip: nil, error: nil, refused: 0))
        self.pins = Mutex(configuration.pins)
    }

    /// Takes a new pin list while running (`systemctl reload`): see
    /// `GPIOPinRuntime.reconfigure`. Home Assistant hears of every pin added
    /// or changed, and forgets every pin gone. Returns whether anything changed.
    public func reconfigure(pins newPins: [GPIOPin]) async -> Bool {
        let box = runtime
        guard let changes = try? await eventLoop.submit({ box.value?.reconfigure(pins: newPins) }).get() ?? nil,
              !changes.isEmpty else { return false }
        pins.withLock { $0 = newPins }
        if let homeAssistant = configuration.homeAssistant {
            let kept = Set(changes.requested.map(\.name))
            for pin in changes.released where !kept.contains(pin.name) {
                let removal = homeAssistant.removalMessage(for: pin)
                upstream.publish(Message(topic: removal.topic, text: removal.payload, qos: .atLeastOnce, retain: true))
            }
            for message in homeAssistant.retainedConfigMessages(for: changes.requested + changes.updated) {
                upstream.publish(message)
            }
        }
        return true
    }

    /// The pins' states and the chip's health, for the status document.
    public var status: GPIOStatus { latestStatus.withLock { $0 } }

    /// Runs until graceful shutdown, then puts each output in its `on_exit` state.
    public func run() async throws {
        let restored = loadRestoredStates()
        // The runtime exists before the chip can report an edge.
        try await eventLoop.submit { [self] in
            runtime.value = GPIOPinRuntime(
                configuration: configuration,
                restored: restored,
                upstream: upstream,
                eventLoop: eventLoop,
                logger: logger,
                publishStatus: { [self] status in latestStatus.withLock { $0 = status } }
            )
        }.get()
        let chip: (any GPIOChip)?
        do throws(GPIOError) {
            chip = try openChip()
        } catch {
            chip = nil
            try await onLoop { runtime in runtime.failed(error) }
        }
        if let chip {
            let box = runtime
            let loop = eventLoop
            try await onLoop { runtime in
                runtime.start(chip: chip) { pin in
                    loop.execute { box.value?.edge(pin: pin) }
                }
            }
            await subscribe()
            publishDiscovery()
        }

        try? await gracefulShutdown()
        try await onLoop { runtime in runtime.stop() }
        logger.debug("GPIO stopped")
        // `chip` lives to here: its lines are held for as long as perchd runs.
        withExtendedLifetime(chip) {}
    }

    /// A message from the uplink's subscriptions; everything not for the pins is ignored.
    public func deliver(_ message: Message) {
        if let pin = configuration.pinName(ofCommandTopic: message.topic) {
            let box = runtime
            eventLoop.execute { box.value?.command(pin: pin, payload: message.payload) }
        } else if let homeAssistant = configuration.homeAssistant,
                  message.topic == homeAssistant.birthTopic,
                  HomeAssistantDiscovery.isBirth(message.payload) {
            // Home Assistant restarted and forgot every entity: tell it again.
            publishDiscovery()
        }
    }

    // MARK: Parts of `run`

    private func loadRestoredStates() -> [String: Bool] {
        guard configuration.pins.contains(where: { $0.initial == .restore && $0.direction == .output }) else { return [:] }
        do {
            return try PinStateFile(path: configuration.stateFilePath).load()
        } catch {
            logger.error("GPIO: the saved pin states cannot be read; `restore` pins start off", metadata: ["error": "\(error)"])
            return [:]
        }
    }

    private func subscribe() async {
        var filters = [configuration.commandFilter]
        if let homeAssistant = configuration.homeAssistant { filters.append(homeAssistant.birthTopic) }
        for filter in filters {
            do {
                try await upstream.subscribe(filter)
            } catch {
                logger.error("GPIO: cannot subscribe upstream", metadata: ["filter": "\(filter)", "error": "\(error)"])
            }
        }
    }

    private func publishDiscovery() {
        guard let homeAssistant = configuration.homeAssistant else { return }
        for message in homeAssistant.retainedConfigMessages(for: pins.withLock { $0 }) {
            upstream.publish(message)
        }
    }

    private func onLoop(_ body: @escaping @Sendable (GPIOPinRuntime) -> Void) async throws {
        let box = runtime
        try await eventLoop.submit { if let runtime = box.value { body(runtime) } }.get()
    }
}
