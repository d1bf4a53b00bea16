"""A real Mosquitto (Debian's binary) with TLS on a free loopback port, and the
throw-away CA that signs its certificate (made with the openssl CLI, the way
etc/demo/demo.sh does it)."""

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
    """A running Mosquitto that accepts anonymous MQTT over TLS on 127.0.0.1."""

    def __init__(self, directory: Path):
        directory.chmod(0o755)
        self.directory = directory
        self.certificates = Certificates.make(directory)
        self.host = "127.0.0.1"
        self.port = free_port()
        config = directory / "mosquitto.conf"
        config.write_text(
            f"listener {self.port} {self.host}\n"
            "allow_anonymous true\n"
            f"cafile {self.certificates.ca_file}\n"
            f"certfile {self.certificates.cert_file}\n"
            f"keyfile {self.certificates.key_file}\n"
            "persistence false\n"
            "log_dest stderr\n"
            "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
        )
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.process = subprocess.Popen(
            [binary, "-c", str(config)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            env={**os.environ, "LC_ALL": "C"},
        )
        self.log = LogWatch(self.process, "mosquitto")
        # Mosquitto 2 logs this once its listeners are open.
        self.log.wait_for(r"mosquitto version \S+ running", timeout=15)

    @property
    def url(self) -> str:
        """The broker as perchd's `uplink.url` names it."""
        return f"mqtts://{self.host}:{self.port}"

    def stop(self) -> None:
        """Terminates the broker and waits (bounded) for it to exit."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.join(timeout=5)
