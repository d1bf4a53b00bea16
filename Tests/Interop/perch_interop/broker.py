"""A real Mosquitto (Debian's binary) with TLS on a free loopback port, and the
throw-away CA that signs its certificate (made with the openssl CLI, the way
etc/demo/demo.sh does it); optionally persistent, stopped and started again."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .logwatch import LogWatch
from .ports import free_port


def _openssl(*arguments: str) -> None:
    subprocess.run(["openssl", *arguments], check=True, capture_output=True, timeout=60)


@dataclass(frozen=True)
class Certificates:
    """A CA and a server certificate (by default for `localhost` and 127.0.0.1)."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    @staticmethod
    def make(directory: Path, common_name: str = "localhost",
             subject_alt_names: tuple[str, ...] = ("DNS:localhost", "IP:127.0.0.1")) -> "Certificates":
        """Writes a fresh CA and a server certificate signed by it into
        `directory`; the server's subject CN and subjectAltName entries
        (`DNS:name`, `IP:address`) may be chosen."""
        ca_key, ca_crt = directory / "ca.key", directory / "ca.crt"
        # The extensions RFC 5280 asks of a CA, which Python 3.13's default
        # context checks (VERIFY_X509_STRICT): a CA key usage, critical.
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                 "-subj", "/CN=Perch interop CA", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                 "-keyout", str(ca_key), "-out", str(ca_crt))
        ca_crt.chmod(0o644)
        return Certificates._server(directory, ca_crt, ca_key, common_name, subject_alt_names)

    def issue(self, directory: Path, common_name: str, subject_alt_names: tuple[str, ...]) -> "Certificates":
        """Another server certificate from this CA (made by `make`), written
        into `directory`: a second broker that the same `ca_file` trusts."""
        return Certificates._server(directory, self.ca_file, self.ca_file.with_name("ca.key"), common_name,
                                    subject_alt_names)

    @staticmethod
    def _server(directory: Path, ca_crt: Path, ca_key: Path, common_name: str,
                subject_alt_names: tuple[str, ...]) -> "Certificates":
        key, csr, crt = directory / "server.key", directory / "server.csr", directory / "server.crt"
        san = directory / "san.ext"
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={common_name}",
                 "-keyout", str(key), "-out", str(csr))
        # An Authority Key Identifier too: Python 3.13 (VERIFY_X509_STRICT) refuses a
        # certificate without one, so a proxy or client on Debian 13 could not connect.
        san.write_text(f"subjectAltName={','.join(subject_alt_names)}\n"
                       "authorityKeyIdentifier=keyid,issuer\nsubjectKeyIdentifier=hash\n"
                       "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n")
        _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca_crt), "-CAkey", str(ca_key),
                 "-CAcreateserial", "-days", "1", "-extfile", str(san), "-out", str(crt))
        # Mosquitto started as root drops to its own user: it must read these.
        for path in (key, crt):
            path.chmod(0o644)
        return Certificates(ca_file=ca_crt, cert_file=crt, key_file=key)


class BrokerProcess:
    """What every broker child process of the suite shares: stop it (SIGTERM,
    then SIGKILL if it lingers), kill it, and its output over every run.
    A subclass sets `name` and, before `stop()`/`kill()`, `process`, `log`
    and `runs`."""

    name = "broker"
    process: subprocess.Popen | None = None
    log: LogWatch | None = None
    runs: list

    @property
    def running(self) -> bool:
        """Whether the broker process is alive."""
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Terminates the broker (SIGTERM: a persistent Mosquitto saves its
        database first) and waits (bounded) for it to exit."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.log is not None:
            self.log.join(timeout=5)

    def kill(self) -> None:
        """SIGKILL: the broker crashes; waits (bounded) for it to go."""
        assert self.process is not None and self.running, f"{self.name} is not running"
        self.process.kill()
        self.process.wait(timeout=10)
        if self.log is not None:
            self.log.join(timeout=5)

    def log_text(self) -> str:
        """The output of every run of this broker, for failure reports."""
        return "\n--- restart ---\n".join(run.text() for run in self.runs)


class Mosquitto(BrokerProcess):
    """A running Mosquitto that accepts anonymous MQTT over TLS on 127.0.0.1.

    `certificates` reuses a CA and server certificate (made fresh when absent).
    `persistent` keeps sessions and their queued messages across a graceful
    `stop()` and `start()` on the same port (`persistence true`, with no limit
    on a session's queue), for tests that take the broker away.
    `extra_lines` are appended to the configuration, after the listener (so
    per-listener options such as `max_qos` apply to it): a broker with limits,
    e.g. `["max_packet_size 300"]` (mosquitto.conf(5)); `reconfigure()`
    replaces them for the next `start()`."""

    name = "mosquitto"

    def __init__(self, directory: Path, certificates: Certificates | None = None, persistent: bool = False,
                 crash_safe: bool = False, extra_lines: list[str] | None = None):
        directory.chmod(0o755)
        self.directory = directory
        self.certificates = certificates or Certificates.make(directory)
        self.host = "127.0.0.1"
        self.port = free_port()
        self.persistent = persistent
        self.crash_safe = crash_safe
        self.extra_lines = list(extra_lines or [])
        self.config = directory / "mosquitto.conf"
        self._write_config()
        self.process: subprocess.Popen | None = None
        self.log: LogWatch | None = None
        self.runs: list[LogWatch] = []
        self.start()

    def _write_config(self) -> None:
        directory = self.directory
        lines = [
            f"listener {self.port} {self.host}",
            "allow_anonymous true",
            f"cafile {self.certificates.ca_file}",
            f"certfile {self.certificates.cert_file}",
            f"keyfile {self.certificates.key_file}",
        ]
        if self.persistent:
            store = directory / "persistence"
            store.mkdir(exist_ok=True)
            # Started as root, Mosquitto writes its database as its own user.
            store.chmod(0o777)
            lines += [
                "persistence true",
                f"persistence_location {store}/",
                # The default (1000) would drop a waiting subscriber's messages
                # beyond it; 0 is no limit (mosquitto.conf(5)).
                "max_queued_messages 0",
            ]
            if self.crash_safe:
                # Saved after every change (mosquitto.conf(5)), so a SIGKILL loses
                # nothing the broker acknowledged: what a test then finds missing
                # is Perch's loss, not the broker's.
                lines += ["autosave_on_changes true", "autosave_interval 1"]
        else:
            lines.append("persistence false")
        lines += ["log_dest stderr",
                  "log_type error", "log_type warning", "log_type notice", "log_type information"]
        lines += self.extra_lines
        self.config.write_text("\n".join(lines) + "\n")

    def reconfigure(self, extra_lines: list[str]) -> None:
        """Replaces `extra_lines` (the broker must be stopped); the next `start()` uses them."""
        assert not self.running, "stop the broker before reconfiguring it"
        self.extra_lines = list(extra_lines)
        self._write_config()

    @property
    def url(self) -> str:
        """The broker as perchd's `uplink.url` names it."""
        return f"mqtts://{self.host}:{self.port}"

    def start(self) -> None:
        """Starts the broker (again, on the same port and files) and returns once it listens."""
        assert not self.running, "mosquitto is already running"
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.process = subprocess.Popen(
            [binary, "-c", str(self.config)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            env={**os.environ, "LC_ALL": "C"},
        )
        self.log = LogWatch(self.process, "mosquitto")
        self.runs.append(self.log)
        try:
            # Mosquitto 2 logs this once its listeners are open.
            self.log.wait_for(r"mosquitto version \S+ running", timeout=15)
        except AssertionError:
            # Not left behind when it does not come up (a bad limit in `extra_lines`).
            self.process.kill()
            self.process.wait(timeout=10)
            raise
