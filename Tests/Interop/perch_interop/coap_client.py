"""Debian's `coap-client-openssl` (libcoap3-bin, the OpenSSL build; Debian
has no plain `coap-client`), always under timeout(1): a client that hangs (a
wrong DTLS key makes it wait for a handshake that never ends) must not hang
the suite. `-v 7` makes it print every PDU it sends and receives on stdout
(`v:1 t:ACK c:2.04 i:8be0 {01} [ Content-Format:0 ] :: 'hello'`), mixed with
its own log lines and, without `-o`, the payload; the payload therefore goes
to a file of its own (`-o`), and the PDU lines are what the tests read."""

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

EXECUTABLE = "/usr/bin/coap-client-openssl"

# One PDU line of `-v 7` (libcoap 4.3.1's coap_show_pdu).
_PDU = re.compile(r"^v:1 t:(?P<type>CON|NON|ACK|RST) c:(?P<code>[0-9.]+|[A-Z]+) i:[0-9a-f]+ "
                  r"\{(?P<token>[0-9a-f]*)\} \[(?P<options>.*?)\]")
_METHODS = {"GET", "PUT", "POST", "DELETE", "FETCH", "PATCH", "IPATCH"}


@dataclass(frozen=True)
class Pdu:
    """One PDU as coap-client printed it."""

    type: str
    code: str
    options: str
    line: str

    @property
    def message_id(self) -> str | None:
        """The Message ID as printed (`i:1a2b`)."""
        found = re.search(r"\bi:([0-9a-f]+)\b", self.line)
        return found.group(1) if found else None

    @property
    def is_request(self) -> bool:
        """A request coap-client sent (its code is a method)."""
        return self.code in _METHODS

    def option(self, name: str) -> str | None:
        """The value of option `name` as printed (`Content-Format:50` → "50"), or None."""
        found = re.search(rf"(?:^|[ ,]){re.escape(name)}:([^,\]]*)", self.options)
        return found.group(1).strip() if found else None


@dataclass
class ClientRun:
    """What one coap-client run did: exit status, PDU trace, received payload."""

    returncode: int
    output: str
    payload: bytes

    @property
    def pdus(self) -> list[Pdu]:
        """Every PDU line, in order."""
        found = []
        for line in self.output.splitlines():
            match = _PDU.match(line)
            if match:
                found.append(Pdu(match["type"], match["code"], match["options"], line))
        return found

    @property
    def responses(self) -> list[Pdu]:
        """The responses received: not the requests it sent, not empty ACKs
        (code 0.00) nor the empty ACKs it sent for separate responses."""
        found: list[Pdu] = []
        for pdu in self.pdus:
            if pdu.is_request or pdu.code == "0.00":
                continue
            # coap-client 4.3.4 prints the response that ends a block-wise
            # request twice (libcoap's trace, then its own handler's): one
            # response, one Message ID.
            if found and found[-1].type == pdu.type and found[-1].code == pdu.code \
                    and found[-1].message_id is not None and found[-1].message_id == pdu.message_id:
                continue
            found.append(pdu)
        return found

    @property
    def codes(self) -> list[str]:
        """The response codes received, in order (`["2.31", "2.31", "2.04"]`)."""
        return [pdu.code for pdu in self.responses]

    @property
    def final(self) -> Pdu:
        """The last response (the one that ends the exchange); fails with the trace if none."""
        assert self.responses, f"coap-client got no response (exit {self.returncode}):\n{self.output}"
        return self.responses[-1]


def _arguments(uri: str, method: str, payload_file: Path | None, output_file: Path, nonconfirmable: bool,
               content_format: int | None, block: str | None, observe_s: int | None, wait_s: int,
               psk: tuple[str, bytes] | None) -> list[str]:
    arguments = [EXECUTABLE, "-v", "7", "-B", str(wait_s), "-m", method, "-o", str(output_file)]
    if payload_file is not None:
        arguments += ["-f", str(payload_file)]
    if nonconfirmable:
        arguments.append("-N")
    if content_format is not None:
        arguments += ["-t", str(content_format)]
    if block is not None:
        arguments += ["-b", block]
    if observe_s is not None:
        arguments += ["-s", str(observe_s)]
    if psk is not None:
        identity, key = psk
        arguments += ["-u", identity, "-k", key.decode()]
    return arguments + [uri]


class CoapClient:
    """A coap-client run started in the background (for Observe), or run to its end with `run()`."""

    def __init__(self, uri: str, method: str = "get", payload: bytes | None = None, *,
                 nonconfirmable: bool = False, content_format: int | None = None, block: str | None = None,
                 observe_s: int | None = None, wait_s: int = 5, limit_s: float = 20,
                 psk: tuple[str, bytes] | None = None):
        self._directory = Path(tempfile.mkdtemp(prefix="perch-interop-coap."))
        payload_file = None
        if payload is not None:
            payload_file = self._directory / "request"
            payload_file.write_bytes(payload)
        self._output_file = self._directory / "response"
        self.limit_s = limit_s
        command = ["timeout", "--kill-after=2", str(int(limit_s))] + _arguments(
            uri, method, payload_file, self._output_file, nonconfirmable, content_format, block, observe_s,
            wait_s, psk)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C"})

    def finish(self) -> ClientRun:
        """Waits (bounded by timeout(1)'s limit, plus a margin) for the client to end."""
        output, _ = self.process.communicate(timeout=self.limit_s + 5)
        payload = self._output_file.read_bytes() if self._output_file.exists() else b""
        for leftover in self._directory.iterdir():
            leftover.unlink()
        self._directory.rmdir()
        return ClientRun(self.process.returncode, output.decode(errors="replace"), payload)


def coap_client(uri: str, method: str = "get", payload: bytes | None = None, **options) -> ClientRun:
    """Runs one coap-client request to its end (options as `CoapClient`)."""
    return CoapClient(uri, method, payload, **options).finish()
