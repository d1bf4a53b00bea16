"""A broker that is not Mosquitto and speaks only MQTT 3.1.1: amqtt (PyPI,
pinned in requirements.txt), an asyncio broker, run as a child process of
this interpreter on a free loopback port, TLS with the suite's test
certificates, anonymous clients allowed. It keeps nothing across a restart
(no persistence plugin): sessions, subscriptions and retained messages are
gone after `stop()` and `start()`, so a watcher subscribes again
(`Upstream(..., resubscribe=True)`).

What it does with an MQTT 5 CONNECT (measured; README.md): a
v5 CONNECT without will and without properties gets the 3.1.1-layout CONNACK
`20 02 00 01` and a close; one with a will (perchd's always has one) or with
properties gets no answer at all, the connection held open until the client
gives up."""

import os
import subprocess
import sys
from pathlib import Path

from .broker import BrokerProcess, Certificates
from .logwatch import LogWatch
from .ports import free_port

# `amqtt -c FILE` is this module's main(); run through the interpreter under
# test so the venv's pinned amqtt is the one started.
_COMMAND = [sys.executable, "-m", "amqtt.scripts.broker_script"]


class Amqtt(BrokerProcess):
    """A running amqtt broker (same surface as `Mosquitto` where perchd's
    configuration and the watchers need it: host, port, url, certificates,
    start/stop/kill, log_text)."""

    name = "amqtt"

    # stop() sends SIGTERM: amqtt has no handler for it, so it ends at once
    # and the kernel closes its connections, as for a broker that goes away.
    # (Its graceful path is SIGINT, but a child inherits an ignored SIGINT
    # from a shell that runs the suite in the background.)
    name = "amqtt"

    def __init__(self, directory: Path, certificates: Certificates | None = None, tls: bool = True):
        self.directory = directory
        self.certificates = certificates or Certificates.make(directory)
        self.tls = tls
        self.host = "127.0.0.1"
        self.port = free_port()
        listener = [
            "    type: tcp",
            f"    bind: {self.host}:{self.port}",
        ]
        if tls:
            listener += [
                "    ssl: true",
                f"    certfile: {self.certificates.cert_file}",
                f"    keyfile: {self.certificates.key_file}",
            ]
        lines = ["listeners:", "  default:", *listener,
                 "plugins:",
                 "  amqtt.plugins.authentication.AnonymousAuthPlugin:",
                 "    allow_anonymous: true"]
        self.config = directory / "amqtt.yaml"
        self.config.write_text("\n".join(lines) + "\n")
        self.process: subprocess.Popen | None = None
        self.log: LogWatch | None = None
        self.runs: list[LogWatch] = []
        self.start()

    @property
    def url(self) -> str:
        """The broker as perchd's `uplink.url` names it."""
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        """Starts the broker (again, on the same port) and returns once it listens."""
        assert not self.running, "amqtt is already running"
        self.process = subprocess.Popen(
            [*_COMMAND, "-c", str(self.config)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            env={**os.environ, "LC_ALL": "C", "PYTHONUNBUFFERED": "1"},
        )
        self.log = LogWatch(self.process, "amqtt")
        self.runs.append(self.log)
        try:
            # Logged once asyncio's server is listening (amqtt/broker.py).
            self.log.wait_for(rf"Listener 'default' bind to {self.host}:{self.port}", timeout=timeout)
        except AssertionError:
            self.process.kill()
            self.process.wait(timeout=10)
            raise
