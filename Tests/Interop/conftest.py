"""Fixtures of the interoperability suite (README.md): one Mosquitto with TLS
per session; per test a fresh perchd (own gateway id, UDP port and state
directory) with an upstream paho subscriber already listening to everything it
publishes, and unique MQTT-SN client ids. The spool's tests get their own
broker per test instead (`outage_broker`: persistent, so it can be stopped and
started again), watched by a subscriber whose session survives that
(`durable_upstream`), and start perchd against it with `start_spooling_perchd`."""

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from perch_interop.aiocoap_client import AioCoap
from perch_interop.amqtt_broker import Amqtt
from perch_interop.broker import Certificates, Mosquitto
from perch_interop.perchd import Perchd
from perch_interop.relay import TcpRelay
from perch_interop.upstream import Upstream

REPOSITORY = Path(__file__).resolve().parents[2]


def pytest_addoption(parser):
    parser.addoption("--perchd", default=str(REPOSITORY / ".build" / "debug" / "perchd"),
                     help="the perchd binary under test (default: the debug build)")


@pytest.fixture(scope="session")
def perchd_binary(pytestconfig) -> Path:
    binary = Path(pytestconfig.getoption("--perchd")).resolve()
    assert binary.is_file() and os.access(binary, os.X_OK), f"no perchd at {binary}: run `make build` first"
    return binary


@pytest.fixture(scope="session")
def broker():
    # Not under pytest's tmp_path: that is private to this user (0700), and
    # Mosquitto started as root reads its files as the `mosquitto` user.
    directory = Path(tempfile.mkdtemp(prefix="perch-interop-mosquitto."))
    mosquitto = Mosquitto(directory)
    yield mosquitto
    mosquitto.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def upstream(broker):
    watcher = Upstream(broker)
    yield watcher
    watcher.close()


def _perchd_starter(request, binary, broker, upstream, tmp_path_factory, qos: int):
    """A `start(...)` that makes and starts a perchd against `broker`, with
    `upstream` subscribed (at `qos`) to its mountpoint and status topics first,
    so it sees everything from the start; and the instances started, for the
    teardown."""
    started: list[Perchd] = []

    def start(extra: dict | None = None, ipv6: bool = False, wait_for_uplink: bool = True,
              file_size_limit: int | None = None, coap: bool = False,
              dtls_keys: dict[str, bytes] | None = None) -> Perchd:
        instance = Perchd(binary, broker, tmp_path_factory.mktemp("perchd"), extra=extra, ipv6=ipv6,
                          file_size_limit=file_size_limit, coap=coap, dtls_keys=dtls_keys)
        upstream.subscribe(instance.mountpoint + "#", qos=qos)
        upstream.subscribe(f"perch/{instance.gateway}/#", qos=qos)
        started.append(instance)
        request.node.perchd_instances = started
        instance.start(wait_for_uplink=wait_for_uplink)
        return instance

    return start, started


def _stop_all(started) -> None:
    statuses = [(instance, instance.stop()) for instance in started]
    for instance, status in statuses:
        assert status == 0, f"perchd exited with {status} on SIGTERM:\n{instance.log_text()}"


@pytest.fixture
def start_perchd(request, perchd_binary, broker, upstream, tmp_path_factory):
    """Makes and starts a perchd; the upstream watcher is subscribed to its
    mountpoint and status topics first, so it sees everything from the start."""
    start, started = _perchd_starter(request, perchd_binary, broker, upstream, tmp_path_factory, qos=2)
    yield start
    _stop_all(started)


@pytest.fixture(scope="session")
def spool_certificates():
    """One CA and server certificate for every per-test broker."""
    directory = Path(tempfile.mkdtemp(prefix="perch-interop-certificates."))
    directory.chmod(0o755)
    yield Certificates.make(directory)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def outage_broker(request, spool_certificates):
    """A Mosquitto of this test's own, with persistence, that the test may
    `stop()` (SIGTERM: it saves sessions and queues) and `start()` again on
    the same port."""
    directory = Path(tempfile.mkdtemp(prefix="perch-interop-outage."))
    crash_safe = request.node.get_closest_marker("crash_safe_broker") is not None
    mosquitto = Mosquitto(directory, certificates=spool_certificates, persistent=True, crash_safe=crash_safe)
    request.node.brokers = [mosquitto]
    yield mosquitto
    mosquitto.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def durable_upstream(outage_broker):
    """What the cloud sees of `outage_broker`, through a session that outlives
    the broker's restarts: nothing published while it reconnects is missed."""
    watcher = Upstream(outage_broker, durable=True)
    yield watcher
    watcher.close()


@pytest.fixture
def start_spooling_perchd(request, perchd_binary, outage_broker, durable_upstream, tmp_path_factory):
    """`start_perchd` against `outage_broker`, watched by `durable_upstream`
    (QoS 1 subscriptions, so messages wait in its session). `start(...,
    wait_for_uplink=False)` for a perchd started while the broker is down;
    `file_size_limit` runs it under RLIMIT_FSIZE."""
    start, started = _perchd_starter(request, perchd_binary, outage_broker, durable_upstream, tmp_path_factory,
                                     qos=1)
    yield start
    _stop_all(started)


def _remember_broker(request, broker) -> None:
    # The failure report appends every broker's log (pytest_runtest_makereport).
    request.node.brokers = [*getattr(request.node, "brokers", []), broker]


@pytest.fixture
def scratch_dir():
    """A directory for the test's own files that brokers must read (0755, not
    under pytest's private tmp_path: Mosquitto started as root reads as its
    own user), e.g. certificates; removed after every broker and perchd of
    the test is stopped (the broker factories depend on it)."""
    directory = Path(tempfile.mkdtemp(prefix="perch-interop-scratch."))
    directory.chmod(0o755)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def make_broker(request, spool_certificates, scratch_dir):
    """Makes Mosquittos of this test's own, stopped after it:
    `make_broker(["max_qos 0"])` appends those lines to the configuration (a
    broker with limits, mosquitto.conf(5)); `certificates` replaces the
    session's test CA and server certificate; `persistent` as `outage_broker`."""
    made: list[tuple[Mosquitto, Path]] = []

    def make(extra_lines: list[str] | tuple[str, ...] = (), certificates: Certificates | None = None,
             persistent: bool = False) -> Mosquitto:
        directory = Path(tempfile.mkdtemp(prefix="perch-interop-limited."))
        try:
            mosquitto = Mosquitto(directory, certificates=certificates or spool_certificates,
                                  persistent=persistent, extra_lines=list(extra_lines))
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        made.append((mosquitto, directory))
        _remember_broker(request, mosquitto)
        return mosquitto

    yield make
    for mosquitto, directory in reversed(made):
        mosquitto.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def make_amqtt(request, spool_certificates, scratch_dir):
    """Makes amqtt brokers (MQTT 3.1.1 only, TLS with the session's test
    certificates) of this test's own, stopped after it."""
    made: list[tuple[Amqtt, Path]] = []

    def make(certificates: Certificates | None = None) -> Amqtt:
        directory = Path(tempfile.mkdtemp(prefix="perch-interop-amqtt."))
        try:
            broker = Amqtt(directory, certificates=certificates or spool_certificates)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        made.append((broker, directory))
        _remember_broker(request, broker)
        return broker

    yield make
    for broker, directory in reversed(made):
        broker.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def watch(make_broker, make_amqtt):
    """Makes upstream watchers (`Upstream`) of a broker made by `make_broker`
    or `make_amqtt`, closed after the test and before those brokers stop:
    `watch(broker, protocol="3.1.1", resubscribe=True)` for amqtt."""
    made: list[Upstream] = []

    def make(broker, **options) -> Upstream:
        watcher = Upstream(broker, **options)
        made.append(watcher)
        return watcher

    yield make
    for watcher in reversed(made):
        watcher.close()


@pytest.fixture
def make_relay():
    """Makes TCP relays (`perch_interop/relay.py`) in front of a broker,
    closed after the test's perchds have stopped (a perchd whose relay is gone
    waits out its offline-status timeout on SIGTERM)."""
    made: list[TcpRelay] = []

    def make(target: tuple[str, int]) -> TcpRelay:
        relay = TcpRelay(target)
        made.append(relay)
        return relay

    yield make
    for relay in reversed(made):
        relay.close()


@pytest.fixture
def start_perchd_on(request, perchd_binary, tmp_path_factory, make_broker, make_amqtt, watch, make_relay):
    """Starts a perchd against a broker of the test's own:
    `start_perchd_on(broker, watcher, extra={...})`; `watcher` is subscribed
    (at `qos`) to its mountpoint and status topics first. Every perchd is
    stopped (SIGTERM, exit status 0 required) after the test, before the
    watchers and brokers go."""
    started: list[Perchd] = []

    def start(broker, watcher: Upstream, extra: dict | None = None, wait_for_uplink: bool = True,
              coap: bool = False, qos: int = 1) -> Perchd:
        instance = Perchd(perchd_binary, broker, tmp_path_factory.mktemp("perchd"), extra=extra, coap=coap)
        watcher.subscribe(instance.mountpoint + "#", qos=qos)
        watcher.subscribe(f"perch/{instance.gateway}/#", qos=qos)
        started.append(instance)
        request.node.perchd_instances = [*getattr(request.node, "perchd_instances", []), instance]
        instance.start(wait_for_uplink=wait_for_uplink)
        return instance

    yield start
    _stop_all(started)


@pytest.fixture
def perchd(request, start_perchd) -> Perchd:
    """A started perchd with the default generated configuration, plus what a
    `perchd_config` marker adds."""
    marker = request.node.get_closest_marker("perchd_config")
    return start_perchd(marker.args[0] if marker else None)


@pytest.fixture
def coap_perchd(request, start_perchd) -> Perchd:
    """A started perchd with plain CoAP on a loopback port, plus what a
    `perchd_config` marker adds (e.g. `coap.resources`)."""
    marker = request.node.get_closest_marker("perchd_config")
    return start_perchd(marker.args[0] if marker else None, coap=True)


@pytest.fixture
def aio():
    """An aiocoap client context on a loop thread of its own (closed after the test)."""
    client = AioCoap()
    yield client
    client.close()


_client_numbers = itertools.count(1)


@pytest.fixture
def client_ids():
    """Makes client ids unique across the session (they name retained presence
    topics on the shared broker): `client_ids("temp")` → "temp-4711-3"."""
    def make(stem: str) -> str:
        client_id = f"{stem[:10]}-{os.getpid() % 100000}-{next(_client_numbers)}"
        assert len(client_id) <= 23  # MQTT-SN v1.2 §5.3.1
        return client_id
    return make


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for instance in getattr(item, "perchd_instances", []):
            report.sections.append((f"perchd log ({instance.gateway})", instance.log_text()))
        for mosquitto in getattr(item, "brokers", []):
            name = getattr(mosquitto, "name", "mosquitto")
            report.sections.append((f"{name} log (port {mosquitto.port})", mosquitto.log_text()))
