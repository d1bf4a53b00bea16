"""Fixtures of the interoperability suite (README.md): one Mosquitto with TLS
per session; per test a fresh perchd (own gateway id, UDP port and state
directory) with an upstream paho subscriber already listening to everything it
publishes, and unique MQTT-SN client ids."""

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from perch_interop.broker import Mosquitto
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


@pytest.fixture
def start_perchd(request, perchd_binary, broker, upstream, tmp_path_factory):
    """Makes and starts a perchd; the upstream watcher is subscribed to its
    mountpoint and status topics first, so it sees everything from the start."""
    started: list[Perchd] = []

    def start(extra: dict | None = None, ipv6: bool = False) -> Perchd:
        instance = Perchd(perchd_binary, broker, tmp_path_factory.mktemp("perchd"), extra=extra, ipv6=ipv6)
        upstream.subscribe(instance.mountpoint + "#")
        upstream.subscribe(f"perch/{instance.gateway}/#")
        started.append(instance)
        request.node.perchd_instances = started
        instance.start()
        return instance

    yield start
    statuses = [(instance, instance.stop()) for instance in started]
    for instance, status in statuses:
        assert status == 0, f"perchd exited with {status} on SIGTERM:\n{instance.log_text()}"


@pytest.fixture
def perchd(request, start_perchd) -> Perchd:
    """A started perchd with the default generated configuration, plus what a
    `perchd_config` marker adds."""
    marker = request.node.get_closest_marker("perchd_config")
    return start_perchd(marker.args[0] if marker else None)


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
