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
from perch_interop.broker import Certificates, Mosquitto
from perch_interop.perchd import Perchd
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
            report.sections.append((f"mosquitto log (port {mosquitto.port})", mosquitto.log_text()))
