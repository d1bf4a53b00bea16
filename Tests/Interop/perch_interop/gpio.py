"""GPIO on perchd's simulated chip (SPEC §6, issue 6), seen from outside: the
`gpio` section of a generated configuration, commands published on
`perch/{gateway}/gpio/{name}/set` with paho, the `…/state` topics, the status
document's `gpio` and `gpio_info`, and the simulated chip's control FIFO
(`{state_dir}/gpio-simulated`, lines `<line> <level>`, levels electrical).

Every message the upstream watcher receives is kept in one timeline with its
arrival time; each topic has its own read position in it, so waiting for one
pin's state never throws away another pin's or a status document."""

import json
import os
import queue
import stat
import time
from pathlib import Path

from .broker import Mosquitto
from .perchd import Perchd
from .upstream import Received, Upstream

# `info` of the simulated chip: 54 lines, GPIO0…GPIO53 (issue 6).
SIMULATED_CHIP = "simulated [perch-simulated] (54 lines)"

# An output no test uses otherwise: TOGGLE on it until its state comes back
# shows that perchd's subscription to the command topics is in place (a
# command published before it would be lost, like any non-retained message).
PROBE = {"name": "probe", "line": "GPIO5", "direction": "output"}


def gpio_config(*pins: dict, homeassistant: dict | None = None, chip: str = "simulated") -> dict:
    """The `gpio` section for `start_perchd(extra=…)`: `pins` plus `PROBE`."""
    section: dict = {"chip": chip, "pins": [*pins, PROBE]}
    if homeassistant is not None:
        section["homeassistant"] = homeassistant
    return {"gpio": section}


def payload_of(active: bool) -> bytes:
    """SPEC §2: a pin's state is `ON` or `OFF`."""
    return b"ON" if active else b"OFF"


class GPIOView:
    """One perchd's pins as MQTT shows them, through the `upstream` watcher
    (already subscribed to `perch/{gateway}/#` before perchd started)."""

    def __init__(self, perchd: Perchd, upstream: Upstream, broker: Mosquitto):
        self.perchd = perchd
        self.upstream = upstream
        self.broker = broker
        self.prefix = f"perch/{perchd.gateway}/gpio"
        self.timeline: list[Received] = []
        self._positions: dict[str, int] = {}

    def set_topic(self, name: str) -> str:
        """Where commands for pin `name` go."""
        return f"{self.prefix}/{name}/set"

    def state_topic(self, name: str) -> str:
        """Where pin `name`'s state is published, retained."""
        return f"{self.prefix}/{name}/state"

    @property
    def fifo(self) -> Path:
        """The simulated chip's control FIFO."""
        return Path(self.perchd.configuration["gateway"]["state_dir"]) / "gpio-simulated"

    @property
    def state_file(self) -> Path:
        """Where `initial: restore` pins' last commanded states are kept."""
        return Path(self.perchd.configuration["gateway"]["state_dir"]) / "gpio-state.json"

    # -- the timeline ---------------------------------------------------------

    def _pull(self, timeout: float) -> None:
        try:
            message = self.upstream.messages.get(timeout=max(timeout, 0))
        except queue.Empty:  # the caller's deadline decides
            return
        self.upstream.seen.append(message)
        self.timeline.append(message)

    def next(self, topic: str, timeout: float = 10.0, where=lambda message: True) -> Received:
        """The next message on `topic` after the last one this view returned or
        passed over for that topic, for which `where` holds; at most `timeout` s."""
        deadline = time.monotonic() + timeout
        position = self._positions.get(topic, 0)
        while True:
            while position < len(self.timeline):
                message = self.timeline[position]
                position += 1
                if message.topic == topic and where(message):
                    self._positions[topic] = position
                    return message
            self._positions[topic] = position
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                recent = [(m.topic, m.payload[:80]) for m in self.timeline[-15:]]
                raise AssertionError(f"no message on {topic!r} that fits within {timeout}s; "
                                     f"the last ones seen: {recent}")
            self._pull(remaining)

    def state(self, name: str, timeout: float = 10.0, after: float | None = None) -> Received:
        """The next state message of pin `name` (arriving after `after`, when given)."""
        return self.next(self.state_topic(name), timeout,
                         where=lambda message: after is None or message.arrived >= after)

    def no_message(self, topic: str, within: float, where=lambda message: True) -> None:
        """Fails when a message on `topic` for which `where` holds arrives
        within `within` seconds. Only for what must not happen: the window is
        the bound of the wait."""
        deadline = time.monotonic() + within
        while (remaining := deadline - time.monotonic()) > 0:
            self._pull(remaining)
        position = self._positions.get(topic, 0)
        unexpected = [m for m in self.timeline[position:] if m.topic == topic and where(m)]
        self._positions[topic] = len(self.timeline)
        assert not unexpected, f"unexpected on {topic}: {unexpected}"

    def status(self, where=lambda document: True, timeout: float = 10.0, after: float | None = None) -> dict:
        """The next status document (SPEC §7) for which `where` holds."""
        found: list[dict] = []

        def matches(message: Received) -> bool:
            if after is not None and message.arrived < after:
                return False
            try:
                document = json.loads(message.payload)
            except ValueError:
                return False
            if isinstance(document, dict) and where(document):
                found.append(document)
                return True
            return False

        self.next(self.perchd.status_topic, timeout, where=matches)
        return found[0]

    # -- acting on the pins ---------------------------------------------------

    def command(self, name: str, payload: bytes) -> float:
        """Publishes `payload` on pin `name`'s command topic (QoS 1, waited for
        at the broker); returns the time it was handed to paho."""
        sent = time.monotonic()
        self.upstream.publish(self.set_topic(name), payload, qos=1)
        return sent

    def drive(self, *lines: str) -> float:
        """Writes `lines` (`GPIO27 0`, `27 high`) to the simulated chip's FIFO
        in one write, as a person at a shell would with echo; returns the time
        right after the write."""
        assert self.fifo.exists() and stat.S_ISFIFO(self.fifo.stat().st_mode), \
            f"no FIFO at {self.fifo}: the simulated chip's control FIFO (issue 6)"
        # O_NONBLOCK: with no reader (perchd gone) this fails at once (ENXIO)
        # instead of blocking; perchd keeps it open for reading and writing.
        descriptor = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
        try:
            data = "".join(line + "\n" for line in lines).encode()
            assert os.write(descriptor, data) == len(data)
        finally:
            os.close(descriptor)
        return time.monotonic()

    def retained(self, name: str, timeout: float = 10.0) -> Received:
        """What a client subscribing now gets on pin `name`'s state topic: the
        retained message (a fresh paho connection, like Home Assistant after a restart)."""
        watcher = Upstream(self.broker, timeout=timeout)
        try:
            watcher.subscribe(self.state_topic(name), qos=1)
            message = watcher.expect(self.state_topic(name), timeout=timeout)
        finally:
            watcher.close()
        assert message.retain, f"{self.state_topic(name)}: not retained: {message}"
        return message

    def ready(self, pins: list[str], after: float | None = None, timeout: float = 15.0) -> dict:
        """Waits until perchd runs its pins: a status document (arriving after
        `after`, when given) lists every one of `pins`, and a probe command is
        answered (the command subscription is in place). Returns that status."""
        names = set(pins) | {PROBE["name"]}
        document = self.status(lambda d: isinstance(d.get("gpio"), dict) and names <= set(d["gpio"]),
                               timeout=timeout, after=after)
        # The probe's own state at start comes first (SPEC §6, "and at start").
        self.state(PROBE["name"], timeout=timeout, after=after)
        # Bounded in count (below the rate limit's burst) and time.
        for _ in range(8):
            sent = self.command(PROBE["name"], b"TOGGLE")
            try:
                self.state(PROBE["name"], timeout=0.75, after=sent)
                return document
            except AssertionError:
                continue
        raise AssertionError(f"perchd never answered a command on {self.set_topic(PROBE['name'])}")


def start_gpio(start_perchd, upstream: Upstream, broker: Mosquitto, *pins: dict,
               homeassistant: dict | None = None) -> GPIOView:
    """A perchd with `pins` on the simulated chip, ready for commands."""
    instance = start_perchd(gpio_config(*pins, homeassistant=homeassistant))
    view = GPIOView(instance, upstream, broker)
    view.ready([pin["name"] for pin in pins])
    return view
