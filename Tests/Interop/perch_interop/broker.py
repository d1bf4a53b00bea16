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
    """A CA and a server certificate for `localhost` and 127.0.0.1."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    @staticmethod
    def make(directory: Path) -> "Certificates":
        """Writes a fresh CA and a server certificate signed by it into `directory`."""
        ca_key, ca_crt = directory / "ca.key", directory / "ca.crt"
        key, csr, crt = directory / "server.key", directory / "server.csr", directory / "server.crt"
        san = directory / "san.ext"
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                 "-subj", "/CN=Perch interop CA", "-keyout", str(ca_key), "-out", str(ca_crt))
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                 "-keyout", str(key), "-out", str(csr))
        san.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca_crt), "-CAkey", str(ca_key),
                 "-CAcreateserial", "-days", "1", "-extfile", str(san), "-out", str(crt))
        # Mosquitto started as root drops to its own user: it must read these.
        for path in (ca_crt, key, crt):
            path.chmod(0o644)
        return Certificates(ca_file=ca_crt, cert_file=crt, key_file=key)


class Mosquitto:
    """A running Mosquitto that accepts anonymous MQTT over TLS on 127.0.0.1.

    `certificates` reuses a CA and server certificate (made fresh when absent).
    `persistent` keeps sessions and their queued messages across a graceful
    `stop()` and `start()` on the same port (`persistence true`, with no limit
    on a session's queue), for tests that take the broker away."""

    def __init__(self, directory: Path, certificates: Certificates | None = None, persistent: bool = False,
                 crash_safe: bool = False):
        directory.chmod(0o755)
        self.directory = directory
        self.certificates = certificates or Certificates.make(directory)
        self.host = "127.0.0.1"
        self.port = free_port()
        self.persistent = persistent
        lines = [
            f"listener {self.port} {self.host}",
            "allow_anonymous true",
            f"cafile {self.certificates.ca_file}",
            f"certfile {self.certificates.cert_file}",
            f"keyfile {self.certificates.key_file}",
        ]
        if persistent:
            store = directory / "persistence"
            store.mkdir()
            # Started as root, Mosquitto writes its database as its own user.
            store.chmod(0o777)
            lines += [
                "persistence true",
                f"persistence_location {store}/",
                # The default (1000) would drop a waiting subscriber's messages
                # beyond it; 0 is no limit (mosquitto.conf(5)).
                "max_queued_messages 0",
            ]
            if crash_safe:
                # Saved after every change (mosquitto.conf(5)), so a SIGKILL loses
                # nothing the broker acknowledged: what a test then finds missing
                # is Perch's loss, not the broker's.
                lines += ["autosave_on_changes true", "autosave_interval 1"]
        else:
            lines.append("persistence false")
        lines += ["log_dest stderr",
                  "log_type error", "log_type warning", "log_type notice", "log_type information"]
        self.config = directory / "mosquitto.conf"
        self.config.write_text("\n".join(lines) + "\n")
        self.process: subprocess.Popen | None = None
        self.log: LogWatch | None = None
        self.runs: list[LogWatch] = []
        self.start()

    @property
    def url(self) -> str:
        """The broker as perchd's `uplink.url` names it."""
        return f"mqtts://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the broker process is alive."""
        return self.process is not None and self.process.poll() is None

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
        # Mosquitto 2 logs this once its listeners are open.
        self.log.wait_for(r"mosquitto version \S+ running", timeout=15)

    def stop(self) -> None:
        """Terminates the broker (SIGTERM: a persistent one saves its database
        first) and waits (bounded) for it to exit."""
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
        assert self.process is not None and self.running, "mosquitto is not running"
        self.process.kill()
        self.process.wait(timeout=10)
        if self.log is not None:
            self.log.join(timeout=5)

    def log_text(self) -> str:
        """The output of every run of this broker, for failure reports."""
        return "\n--- restart ---\n".join(run.text() for run in self.runs)
