"""Writes the seeds of FuzzCoAPExchanges in Tests/Fuzz/Seeds/FuzzCoAPExchanges/
(checked in; rerun after a change):

    python3 Tests/Fuzz/make_coap_exchange_seeds.py

Each seed is one input of the target: a settings byte, then records
`[kind][length: 2 bytes big-endian][bytes]` (kind 0: a datagram from client A,
1: from client B, 2: a downlink message `[flags]topic\\0payload`, 3: the
upstream answers the publishes waiting for it). The CoAP datagrams are built
by Tests/Interop/perch_interop/raw_coap.py, an encoder written from RFC 7252
§3 independently of perchd and libcoap: block-wise PUTs in 64-byte blocks
with and without Size1, with one token or a token per block (RFC 7959 §2.5),
an Observe registration and deregistration (RFC 7641 §3.6), and GETs answered
in Block2 (RFC 7959 §2.4) with and without Size2.
"""
from __future__ import annotations

import importlib.util
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
RAW_COAP = HERE.parent / "Interop" / "perch_interop" / "raw_coap.py"
_spec = importlib.util.spec_from_file_location("raw_coap", RAW_COAP)
assert _spec is not None and _spec.loader is not None
coap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(coap)

CLIENT_A, CLIENT_B, DOWNLINK, ANSWER = 0, 1, 2, 3
ACKNOWLEDGE, REFUSE = 0x00, 0x01
SZX_64 = 2  # 2 ** (2 + 4) = 64 bytes


def record(kind: int, data: bytes) -> bytes:
    return bytes([kind]) + struct.pack("!H", len(data)) + data


def seed(settings: int, *records: bytes) -> bytes:
    return bytes([settings]) + b"".join(records)


def path(*segments: str) -> list[tuple[int, bytes]]:
    return [(coap.URI_PATH, segment.encode()) for segment in segments]


def block_put(body: bytes, *, size1: bool, token_per_block: bool, confirmable: bool = True,
              segments: tuple[str, ...] = ("ps", "fuzz", "block"), method: int = coap.PUT,
              first_message_id: int = 0x100, client: int = CLIENT_A,
              answer_between: bool = False) -> list[bytes]:
    """A block-wise request in 64-byte Block1 blocks (RFC 7959 §2.5); Size1
    (§4) on the first block only when asked; an answer record after the last
    CON block, or after every one (`answer_between`: the upstream answers
    while the transfer goes on, as a fast broker or spool does)."""
    blocks = [body[offset:offset + 64] for offset in range(0, len(body), 64)] or [b""]
    records = []
    for number, chunk in enumerate(blocks):
        more = number < len(blocks) - 1
        options = path(*segments) + [(coap.BLOCK1, coap.block_option(number, more, SZX_64))]
        if size1 and number == 0:
            options.append((coap.SIZE1, coap.uint_option(len(body))))
        token = bytes([0xB0, number]) if token_per_block else b"\xb0\x01"
        message = coap.encode(coap.CON if confirmable else coap.NON, method, first_message_id + number,
                              token, options, chunk)
        records.append(record(client, message))
        if confirmable and (answer_between or not more):
            records.append(record(ANSWER, b""))
    return records


def downlink(topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> bytes:
    """A message from the broker on `site/gw/{topic}` (the target adds the mountpoint)."""
    return record(DOWNLINK, bytes([qos | (4 if retain else 0)]) + topic.encode() + b"\0" + payload)


def get_block2(number: int, message_id: int, *, size2: bool, segments=("ps", "fuzz", "large"),
               observe: int | None = None, client: int = CLIENT_A) -> bytes:
    options = path(*segments) + [(coap.BLOCK2, coap.block_option(number, False, SZX_64))]
    if size2 and number == 0:
        options.append((coap.SIZE2, b""))  # RFC 7959 §4: Size2 0 in a request asks for the size
    if observe is not None:
        options.append((coap.OBSERVE, coap.uint_option(observe)))
    return record(client, coap.encode(coap.CON, coap.GET, message_id, b"\xc2\x01", options))


def seeds() -> dict[str, bytes]:
    body_100 = bytes(range(100))           # 64 + 36: the two datagrams of the issue-20 crash
    body_300 = bytes(i % 251 for i in range(300))
    large = bytes(i % 256 for i in range(1500))  # answered in Block2 (over 1024 bytes)
    out: dict[str, bytes] = {}
    for size1 in (False, True):
        for per_block in (False, True):
            name = f"put-64+36-{'size1' if size1 else 'no-size1'}-{'token-per-block' if per_block else 'one-token'}"
            out[name] = seed(ACKNOWLEDGE, *block_put(body_100, size1=size1, token_per_block=per_block))
            # The issue-20 crash's exact shape: the first block's answer comes
            # before the second block (SIGSEGV in libcoap before a8167ea).
            out[name + "-answered-between"] = seed(
                ACKNOWLEDGE, *block_put(body_100, size1=size1, token_per_block=per_block, answer_between=True))
    out["put-300-no-size1-refused"] = seed(REFUSE, *block_put(body_300, size1=False, token_per_block=False))
    out["post-300-size1-non"] = seed(ACKNOWLEDGE, *block_put(body_300, size1=True, token_per_block=True,
                                                             confirmable=False, method=coap.POST))
    out["put-alias-two-clients-interleaved"] = seed(ACKNOWLEDGE, *[
        r for pair in zip(block_put(body_100, size1=False, token_per_block=False, segments=("t",)),
                          block_put(body_100, size1=True, token_per_block=True, segments=("t",),
                                    client=CLIENT_B, first_message_id=0x200))
        for r in pair])
    # A gap (block 0, then block 2): 4.08 Request Entity Incomplete (RFC 7959 §2.9.2).
    with_gap = block_put(body_300, size1=False, token_per_block=False)
    out["put-gap-4.08"] = seed(ACKNOWLEDGE, with_gap[0], with_gap[2])
    # Over the target's 2048-byte limit: 4.13 with Size1, announced and not.
    too_large = bytes(2200)
    out["put-over-limit-size1"] = seed(ACKNOWLEDGE, *block_put(too_large, size1=True, token_per_block=False)[:2])
    out["put-over-limit-no-size1"] = seed(ACKNOWLEDGE, *block_put(too_large, size1=False, token_per_block=False))
    # Observe: register, a message from the broker, a large one (Block2
    # notification), deregister (RFC 7641 §3.6: GET with Observe 1).
    observe = path("ps", "fuzz", "seen")
    out["observe-register-notify-deregister"] = seed(
        ACKNOWLEDGE,
        record(CLIENT_A, coap.encode(coap.CON, coap.GET, 0x300, b"\x0b\x01", observe + [(coap.OBSERVE, b"")])),
        downlink("fuzz/seen", b"21.5", qos=1),
        downlink("fuzz/seen", large, qos=0),
        record(CLIENT_A, coap.encode(coap.CON, coap.GET, 0x301, b"\x0b\x01", observe + [(coap.OBSERVE, b"\x01")])),
    )
    wildcard = path("ps", "fuzz", "#")
    out["observe-wildcard-then-put"] = seed(
        ACKNOWLEDGE,
        record(CLIENT_B, coap.encode(coap.CON, coap.GET, 0x310, b"\x0c", wildcard + [(coap.OBSERVE, b"")])),
        *block_put(body_100, size1=False, token_per_block=False),
        downlink("fuzz/block", body_100, qos=2, retain=True),
        record(CLIENT_B, coap.encode(coap.RST, 0, 0x7001, b"")),
    )
    # GET answered in Block2, the last value from the broker (1500 bytes).
    for size2 in (False, True):
        out[f"get-block2-{'size2' if size2 else 'no-size2'}"] = seed(
            ACKNOWLEDGE, downlink("fuzz/large", large, qos=1),
            *[get_block2(number, 0x400 + number, size2=size2) for number in range(3)])
    # The same after a block-wise PUT of 1500 bytes (the sensor's own message).
    out["put-1500-then-get-block2"] = seed(
        ACKNOWLEDGE, *block_put(large, size1=True, token_per_block=False, segments=("ps", "fuzz", "large")),
        *[get_block2(number, 0x500 + number, size2=True) for number in range(2)])
    return out


def main() -> None:
    directory = HERE / "Seeds" / "FuzzCoAPExchanges"
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    for name, data in sorted(seeds().items()):
        assert len(data) <= 4096, f"{name}: {len(data)} bytes, over run.sh's -max_len"
        (directory / name).write_bytes(data)
    print(f"FuzzCoAPExchanges: {len(seeds())} seeds in {directory}")


if __name__ == "__main__":
    main()
