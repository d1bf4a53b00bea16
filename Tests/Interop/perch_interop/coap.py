"""One request through either CoAP client, for tests that run the same flow
with both (`CLIENTS`), and the status document's `coap` section (SPEC §7)."""

import queue
import time

from .aiocoap_client import AioCoap, Observation, Response
from .coap_client import coap_client
from .perchd import Perchd
from .upstream import Upstream

CLIENTS = ("coap-client", "aiocoap")

# RFC 7252 §12.3 Content-Formats used here.
TEXT_PLAIN = 0
LINK_FORMAT = 40
JSON = 50
CBOR = 60
# How coap-client's `-v 7` trace names them (libcoap 4.3.1 prints known formats by name).
_PRINTED_FORMATS = {"text/plain": TEXT_PLAIN, "application/link-format": LINK_FORMAT, "application/json": JSON,
                    "application/cbor": CBOR}


def printed_content_format(text: str | None) -> int | None:
    """A Content-Format as coap-client printed it (a name or a number), as its number."""
    if text is None:
        return None
    return _PRINTED_FORMATS[text] if text in _PRINTED_FORMATS else int(text)


def request(client: str, aio: AioCoap, method: str, uri: str, payload: bytes | None = None, *,
            confirmable: bool = True, content_format: int | None = None, block: str | None = None) -> Response:
    """`method` on `uri` with coap-client or aiocoap, to its final response.
    `block` is coap-client's `-b` (aiocoap picks its own block size)."""
    if client == "aiocoap":
        return aio.request(method, uri, payload or b"", content_format=content_format, confirmable=confirmable)
    assert client == "coap-client", client
    run = coap_client(uri, method, payload, nonconfirmable=not confirmable, content_format=content_format,
                      block=block)
    final = run.final
    return Response(final.code, run.payload, printed_content_format(final.option("Content-Format")), None)


def coap_status(upstream: Upstream, perchd: Perchd, where, timeout: float = 10.0) -> dict:
    """The `coap` section of the next status document for which `where(section)` holds."""
    document = upstream.expect_status(
        perchd.status_topic, lambda doc: isinstance(doc.get("coap"), dict) and where(doc["coap"]),
        timeout=timeout)
    return document["coap"]


def await_notifications(observation: Observation, upstream: Upstream, upstream_topic: str,
                        timeout: float = 10.0, qos: int = 0) -> int:
    """Returns once messages published at the broker on `upstream_topic` reach
    `observation` (the way `flows.await_downlink` does for MQTT-SN): an
    Observe registration is answered before the broker has granted perchd's
    upstream subscription, so probes (`probe N`, QoS `qos`) are published until one
    is notified, and the rest are drained up to the last one sent. Returns the
    number of probes sent."""
    deadline = time.monotonic() + timeout
    sent = 0
    arrived = False
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no probe on {upstream_topic} was notified within {timeout}s"
        if not arrived:
            sent += 1
            upstream.publish(upstream_topic, f"probe {sent}".encode(), qos=qos)
        try:
            notification = observation.notifications.get(timeout=min(0.25, remaining))
        except queue.Empty:
            continue
        assert notification.payload.startswith(b"probe "), f"expected a probe, got {notification}"
        arrived = True
        if notification.payload == f"probe {sent}".encode():
            return sent
