"""The real perchd binary as a child process: a generated configuration (uplink
to the test broker, MQTT-SN on free loopback UDP ports, a state directory in
tmp), started, waited for through its log and a GWINFO, stopped, restarted,
killed with SIGKILL, optionally run under a file-size limit."""

import itertools
import json
import os
import signal
import socket
import subprocess
from pathlib import Path

from .broker import Mosquitto
from .coap_client import coap_client
from .logwatch import LogWatch
from .ports import free_port
from .sensor import Sensor

_instances = itertools.count(1)

PREDEFINED_TOPICS = {1: "sensors/temperature", 2: "sensors/humidity"}
GATEWAY_ID = 7


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def to_yaml(value, indent: int = 0) -> str:
    """A small YAML writer for the generated file: mappings in block style,
    lists and scalars in flow style, strings double-quoted (JSON's quoting is
    valid YAML) so nothing is reinterpreted; integer mapping keys stay integers."""
    pad = "  " * indent
    lines = []
    for key, item in value.items():
        if isinstance(item, dict) and item:
            lines.append(f"{pad}{key}:")
            lines.append(to_yaml(item, indent + 1))
        else:
            lines.append(f"{pad}{key}: {_scalar(item)}")
    return "\n".join(lines)


def _scalar(item) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, list):
        return "[" + ", ".join(_scalar(element) for element in item) + "]"
    if isinstance(item, dict):
        return "{" + ", ".join(f"{key}: {_scalar(element)}" for key, element in item.items()) + "}"
    return json.dumps(str(item))


class Perchd:
    """One perchd instance with its own gateway id (so its status and presence
    topics and its mountpoint are its own), UDP ports and state directory."""

    def __init__(self, binary: Path, broker: Mosquitto, directory: Path, extra: dict | None = None,
                 ipv6: bool = False, file_size_limit: int | None = None, coap: bool = False,
                 dtls_keys: dict[str, bytes] | None = None):
        self.binary = binary
        # RLIMIT_FSIZE for every run, through prlimit(1): a simulated full disk.
        self.file_size_limit = file_size_limit
        self.broker = broker
        self.directory = directory
        self.gateway = f"interop-{os.getpid()}-{next(_instances)}"
        self.host = "127.0.0.1"
        self.port = free_port(socket.SOCK_DGRAM)
        self.port6 = free_port(socket.SOCK_DGRAM, "::1") if ipv6 else None
        self.mountpoint = f"site/{self.gateway}/"
        self.status_topic = f"perch/{self.gateway}/status"
        listen = [f"{self.host}:{self.port}"] + ([f"[::1]:{self.port6}"] if ipv6 else [])
        # CoAP (SPEC §4) only when a test asks for it: plain on `coap_port`,
        # DTLS-PSK on `coaps_port` with one key file per identity.
        taken = (self.port,)
        self.coap_port = free_port(socket.SOCK_DGRAM, avoid=taken) if coap else None
        taken += (self.coap_port,) if self.coap_port else ()
        self.coaps_port = free_port(socket.SOCK_DGRAM, avoid=taken) if dtls_keys else None
        self.dtls_keys = dict(dtls_keys or {})
        coap_section: dict = {"listen": [f"{self.host}:{self.coap_port}"] if coap else []}
        if dtls_keys:
            keys = directory / "psk"
            keys.mkdir(mode=0o700)
            entries = []
            for identity, key in dtls_keys.items():
                key_file = keys / identity
                key_file.write_bytes(key)
                key_file.chmod(0o600)
                entries.append({"identity": identity, "key_file": str(key_file)})
            coap_section["dtls"] = {"listen": [f"{self.host}:{self.coaps_port}"], "psk": entries}
        configuration = {
            "gateway": {"id": self.gateway, "state_dir": str(directory / "state")},
            "uplink": {
                "url": broker.url,
                "protocol": "5",
                "keepalive": "10s",
                "mountpoint": "site/${gateway}/",
                "reconnect": {"min": "100ms", "max": "1s"},
                "tls": {"ca_file": str(broker.certificates.ca_file), "server_name": "localhost"},
            },
            "mqttsn": {
                "listen": listen,
                "gateway_id": GATEWAY_ID,
                "predefined_topics": PREDEFINED_TOPICS,
                "sleeping_buffer": 10,
                # Short, so a missed PUBACK is retried within a test's patience.
                "retry": {"interval": "1s", "count": 3},
            },
            # Nothing else of Perch listens unless asked: loopback MQTT-SN is under test.
            "coap": coap_section,
            "status": {"interval": "1s"},
            "log": {"level": "debug"},
        }
        self.configuration = _merge(configuration, extra or {})
        self.config_file = directory / "perch.yaml"
        self.config_file.write_text(to_yaml(self.configuration) + "\n")
        self.process: subprocess.Popen | None = None
        self.log: LogWatch | None = None
        self.runs: list[LogWatch] = []

    @property
    def address(self) -> tuple[str, int]:
        """Where sensors send MQTT-SN over IPv4."""
        return (self.host, self.port)

    @property
    def address6(self) -> tuple[str, int]:
        """Where sensors send MQTT-SN over IPv6 (only with `ipv6=True`)."""
        assert self.port6 is not None, "this perchd was started without an IPv6 listener"
        return ("::1", self.port6)

    def topic(self, sensor_topic: str) -> str:
        """A sensor's topic as it appears upstream (SPEC §2: `{mountpoint}{topic}`)."""
        return self.mountpoint + sensor_topic

    def presence_topic(self, client_id: str) -> str:
        """Where a client's presence is published (SPEC §2)."""
        return f"{self.status_topic}/clients/{client_id}"

    @property
    def running(self) -> bool:
        """Whether the current run's process is alive."""
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 30.0, wait_for_uplink: bool = True) -> None:
        """Starts perchd and returns once it is connected upstream (unless
        `wait_for_uplink` is off: the broker may be down on purpose) and answers
        SEARCHGW on its IPv4 listener; fails with its log otherwise."""
        assert not self.running, "perchd is already running"
        command = [str(self.binary), "--config", str(self.config_file)]
        if self.file_size_limit is not None:
            # prlimit execs the command: the process is perchd itself. Python
            # resets SIGXFSZ to its default for the child (restore_signals), so
            # a perchd that does not ignore it dies of the first write past the limit.
            command = ["prlimit", f"--fsize={self.file_size_limit}", "--", *command]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            env={**os.environ, "LC_ALL": "C"},
        )
        self.log = LogWatch(self.process, "perchd")
        self.runs.append(self.log)
        if wait_for_uplink:
            self.log.wait_for(r"uplink connected", timeout=timeout)
        self.log.wait_for(r"MQTT-SN listening", timeout=timeout)
        self._wait_for_gwinfo(timeout=10.0)
        if self.coap_uri_base is not None:
            self._wait_for_coap(self.coap_uri(".well-known/core"), psk=None, timeout=10.0)
        if self.dtls_keys:
            self._wait_for_coap(self.coaps_uri(".well-known/core"), psk=next(iter(self.dtls_keys.items())),
                                timeout=10.0)

    def kill(self, timeout: float = 10.0) -> None:
        """SIGKILL (a crash: nothing is flushed), then waits (bounded) for the process to go."""
        assert self.process is not None and self.running, "perchd is not running"
        self.process.kill()
        self.process.wait(timeout=timeout)
        if self.log is not None:
            self.log.join(timeout=5)

    def crash_and_restart(self, wait_for_uplink: bool = True) -> None:
        """kill -9, then a start with the same file, ports and state directory."""
        self.kill()
        self.start(wait_for_uplink=wait_for_uplink)

    @property
    def coap_uri_base(self) -> str | None:
        """`coap://127.0.0.1:{port}` when plain CoAP listens, else None."""
        if self.coap_port is None or not self.configuration["coap"].get("listen"):
            return None
        return f"coap://{self.host}:{self.coap_port}"

    def coap_uri(self, path: str) -> str:
        """The plain CoAP URI of `path` on this perchd (`ps/x?qos=1`)."""
        assert self.coap_uri_base is not None, "this perchd was started without a CoAP listener"
        return f"{self.coap_uri_base}/{path}"

    def coaps_uri(self, path: str) -> str:
        """The DTLS CoAP URI of `path` on this perchd."""
        assert self.coaps_port is not None, "this perchd was started without a DTLS listener"
        return f"coaps://{self.host}:{self.coaps_port}/{path}"

    def _wait_for_coap(self, uri: str, psk: tuple[str, bytes] | None, timeout: float) -> None:
        # As for MQTT-SN: the CoAP listener may come up a moment after the
        # uplink; ask for /.well-known/core until it is answered.
        attempts = max(1, int(timeout / 2))
        for _ in range(attempts):
            assert self.running, \
                f"perchd exited with {self.process.returncode if self.process else None} (see its log)"
            run = coap_client(uri, wait_s=1, limit_s=3, psk=psk)
            if any(pdu.code == "2.05" for pdu in run.responses):
                return
        raise AssertionError(f"perchd did not answer {uri} within {attempts} tries")

    def _wait_for_gwinfo(self, timeout: float) -> None:
        # The listener may bind a moment after the uplink connects: ask until it
        # answers, each question bounded by the socket's timeout.
        attempts = max(1, int(timeout / 0.2))
        with Sensor(self.address, "probe", timeout=0.2) as probe:
            for _ in range(attempts):
                assert self.running, \
                    f"perchd exited with {self.process.returncode if self.process else None} (see its log)"
                probe.send(probe.searchgw())
                if probe.receive_or_none(timeout=0.2) is not None:
                    return
        raise AssertionError(f"perchd did not answer SEARCHGW on {self.address} within {timeout}s (see its log)")

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM (a graceful shutdown), then waits (bounded) for the exit status."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
                raise AssertionError(f"perchd did not stop within {timeout}s of SIGTERM:\n{self.log_text()}")
        if self.log is not None:
            self.log.join(timeout=5)
        return self.process.returncode

    def restart(self) -> None:
        """A graceful stop, then a start with the same file, ports and state directory."""
        status = self.stop()
        assert status == 0, f"perchd exited with {status} on SIGTERM:\n{self.log_text()}"
        self.start()

    def command(self, *arguments: str, timeout: float = 20.0) -> subprocess.CompletedProcess:
        """Runs `perchd ARGUMENTS --config FILE` (a subcommand on this
        instance's file, e.g. `spool dead-letters`) to its end, bounded by
        `timeout`; stdout and stderr together, as text."""
        return subprocess.run([str(self.binary), *arguments, "--config", str(self.config_file)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              text=True, timeout=timeout, env={**os.environ, "LC_ALL": "C"})

    def log_text(self) -> str:
        """The output of every run of this instance, for failure reports."""
        return "\n--- restart ---\n".join(run.text() for run in self.runs)
