import PerchCore
import Yams

extension GPIOConfiguration {
    static let keys = ["chip", "pins", "homeassistant"]

    static func decode(_ node: ConfigNode, context: DecodingContext) -> GPIOConfiguration? {
        let defaults = GPIOConfiguration()
        guard let mapping = context.mapping(node, known: keys) else { return nil }
        return GPIOConfiguration(
            chip: mapping.value("chip", default: defaults.chip) { context.nonEmptyString($0) },
            pins: mapping.value("pins", default: []) { GPIOPin.decodeAll($0, context: context) },
            homeAssistant: mapping["homeassistant"].flatMap { HomeAssistantConfiguration.decode($0, context: context) }
        )
    }
}

extension HomeAssistantConfiguration {
    static let keys = ["discovery", "prefix"]

    static func decode(_ node: ConfigNode, context: DecodingContext) -> HomeAssistantConfiguration? {
        let defaults = HomeAssistantConfiguration()
        guard let mapping = context.mapping(node, known: keys) else { return nil }
        return HomeAssistantConfiguration(
            discovery: mapping.value("discovery", default: defaults.discovery) { context.bool($0) },
            prefix: mapping.value("prefix", default: defaults.prefix) { context.topic($0) }
        )
    }
}

extension GPIOPin {
    static let keys = ["name", "line", "direction", "active_low", "bias", "debounce", "initial", "on_exit"]
    private static let inputOnlyKeys = ["bias", "debounce"]
    private static let outputOnlyKeys = ["initial", "on_exit"]

    /// Decodes `gpio.pins`; names and lines are unique.
    static func decodeAll(_ node: ConfigNode, context: DecodingContext) -> [GPIOPin]? {
        guard let entries = context.list(node) else { return nil }
        var pins: [GPIOPin] = []
        var names: [String: SourceLocation] = [:]
        var lines: [GPIOLine: SourceLocation] = [:]
        for entry in entries {
            guard let (pin, nameNode, lineNode) = decode(entry, context: context) else { continue }
            if let first = names[pin.name] {
                context.error(nameNode, "pin name \"\(pin.name)\" is already used at \(context.originalLocation(first))")
                continue
            }
            if let first = lines[pin.line] {
                context.error(lineNode, "line \(pin.line) is already used at \(context.originalLocation(first))")
                continue
            }
            names[pin.name] = nameNode.location
            lines[pin.line] = lineNode.location
            pins.append(pin)
        }
        return pins
    }

    private static func decode(_ node: ConfigNode, context: DecodingContext) -> (GPIOPin, ConfigNode, ConfigNode)? {
        guard let mapping = context.mapping(node, known: keys) else { return nil }
        let nameNode = mapping.required("name")
        let name = nameNode.flatMap { nameNode in
            context.nonEmptyString(nameNode).flatMap { checkedName($0, node: nameNode, context: context) }
        }
        let lineNode = mapping.required("line")
        let line = lineNode.flatMap { gpioLine($0, context: context) }
        let direction = mapping.value("direction", default: PinDirection.input) { context.choice($0) }
        let defaults = GPIOPin(name: "", line: .offset(0))

        // Keys of the other direction are mistakes, not silently ignored settings.
        let foreignKeys = direction == .input ? outputOnlyKeys : inputOnlyKeys
        for key in foreignKeys {
            if let foreign = mapping[key] {
                context.error(foreign, "only for \(direction == .input ? "output" : "input") pins; this pin is an \(direction.rawValue)")
            }
        }
        let pin = GPIOPin(
            name: name ?? "",
            line: line ?? .offset(0),
            direction: direction,
            activeLow: mapping.value("active_low", default: defaults.activeLow) { context.bool($0) },
            // `disable` as libgpiod and the issue spell it; `disabled` read too.
            bias: mapping.value("bias", default: defaults.bias) { node in
                node.text == "disabled" ? PinBias.disabled : context.choice(node)
            },
            debounce: mapping.value("debounce", default: defaults.debounce) {
                context.duration($0, in: .zero ... .seconds(10))
            },
            initial: mapping.value("initial", default: defaults.initial) { context.choice($0) },
            onExit: mapping.value("on_exit", default: defaults.onExit) { context.choice($0) }
        )
        guard name != nil, line != nil, let nameNode, let lineNode else { return nil }
        return (pin, nameNode, lineNode)
    }

    /// A pin name is one topic level of `…/gpio/{name}/set` (MQTT 5.0 §4.7).
    private static func checkedName(_ name: String, node: ConfigNode, context: DecodingContext) -> String? {
        if name.contains(where: { "/+#$\0".contains($0) }) {
            context.error(node, "a pin name must not contain /, +, #, $ or NUL, got \(node.shown)")
            return nil
        }
        return name
    }

    /// `GPIO17` (a line name) or `17` (an offset).
    private static func gpioLine(_ node: ConfigNode, context: DecodingContext) -> GPIOLine? {
        if node.hasTag(.int) {
            return context.integer(node, in: 0...65_535).map { .offset($0) }
        }
        return context.nonEmptyString(node).map { .name($0) }
    }
}
