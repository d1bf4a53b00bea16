"""Writes the seed corpora in Tests/Fuzz/Seeds/<target>/ (checked in; rerun after a change).

MQTT-SN seeds come from scapy's MQTT-SN layer (an encoder nobody here wrote),
through Tests/Interop/perch_interop/packets.py; MQTT seeds are the byte
layouts of the MQTT 3.1.1 and 5.0 specifications, written out by hand; the
rest are the inputs the documentation and the sample configurations show.

    .build/interop-venv/bin/python Tests/Fuzz/make_seeds.py
"""
from __future__ import annotations

import hashlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Interop"))

from perch_interop import packets as p  # noqa: E402


def write(target: str, seeds: list[bytes]) -> None:
    directory = HERE / "Seeds" / target
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    for seed in seeds:
        (directory / hashlib.sha1(seed).hexdigest()[:16]).write_bytes(seed)
    print(f"{target}: {len(seeds)} seeds")


def mqttsn() -> list[bytes]:
    # MQTT-SN v1.2 §5.4: one of every message the gateway reads or writes.
    packets = [
        p.searchgw(1),
        p.connect("node-1", 60),
        p.connect("node-1", 60, clean=False, will=True),
        p.will_topic("will/topic", qos=1, retain=True),
        p.will_message(b"gone"),
        p.will_topic_update("will/new", qos=2),
        p.empty_will_topic_update(),
        p.will_message_update(b"bye"),
        p.register("sensors/temperature", mid=1),
        p.regack(1, 1),
        p.publish(1, b"21.5", qos=0),
        p.publish(1, b"21.5", qos=1, mid=7),
        p.publish(1, b"21.5", qos=2, mid=8),
        p.publish(p.short_id("ab"), b"1", qos=-1, tid_type=p.SHORT),
        p.publish(1, b"x" * 300, qos=1, mid=9),  # the 3-byte length form (§5.2.1)
        p.puback(1, 7),
        p.pubrec(8),
        p.pubrel(8),
        p.pubcomp(8),
        p.subscribe(2, qos=1, topic_name="cmd/#"),
        p.subscribe(3, qos=0, predefined=2),
        p.unsubscribe(4, topic_name="cmd/#"),
        p.pingreq(),
        p.pingreq("node-1"),
        p.disconnect(),
        p.disconnect(300),
        p.encapsulated(b"\x01\x02", p.publish(1, b"7", qos=0)),
    ]
    return [bytes(packet) for packet in packets]


def mqtt() -> list[bytes]:
    # First byte: 0 = MQTT 3.1.1, 1 = MQTT 5 (see FuzzMQTT.swift); then the stream.
    def varint(n: int) -> bytes:  # §1.5.5 / §2.2.3
        out = bytearray()
        while True:
            byte, n = n % 128, n // 128
            out.append(byte | (0x80 if n else 0))
            if not n:
                return bytes(out)

    def string(text: str) -> bytes:
        return len(text.encode()).to_bytes(2, "big") + text.encode()

    def packet(first: int, body: bytes) -> bytes:
        return bytes([first]) + varint(len(body)) + body

    def props(*items: bytes) -> bytes:  # MQTT 5.0 §2.2.2
        body = b"".join(items)
        return varint(len(body)) + body

    v311 = [
        packet(0x20, b"\x00\x00"),                                  # CONNACK (3.2)
        packet(0x30, string("a/b/c") + b"hello"),                   # PUBLISH QoS 0 (3.3)
        packet(0x32, string("a/b") + b"\x00\x0a" + b"hi"),           # PUBLISH QoS 1, id 10
        packet(0x3D, string("a/b") + b"\x00\x0b" + b"dup, retain"),  # QoS 2, DUP, RETAIN
        packet(0x40, b"\x00\x0a"),                                  # PUBACK (3.4)
        packet(0x50, b"\x00\x0b"), packet(0x62, b"\x00\x0b"), packet(0x70, b"\x00\x0b"),
        packet(0x90, b"\x00\x0c\x01\x80"),                          # SUBACK (3.9)
        packet(0xB0, b"\x00\x0d"),                                  # UNSUBACK (3.11)
        packet(0xD0, b""),                                          # PINGRESP (3.13)
        # CONNECT (3.1) with a will, user name and password.
        packet(0x10, string("MQTT") + b"\x04\xee\x00\x3c" + string("id") + string("w/t")
               + string("wm") + string("user") + string("pass")),
        packet(0x82, b"\x00\x01" + string("cmd/#") + b"\x01"),        # SUBSCRIBE (3.8)
    ]
    v5 = [
        packet(0x20, b"\x00\x00" + props()),                         # CONNACK (3.2)
        # CONNACK with Receive Maximum, Maximum QoS, Maximum Packet Size, Topic Alias Maximum.
        packet(0x20, b"\x00\x00" + props(b"\x21\x00\x10", b"\x24\x01", b"\x27\x00\x01\x00\x00", b"\x22\x00\x08")),
        packet(0x20, b"\x00\x87" + props(b"\x1f" + string("not authorized"))),
        packet(0x30, string("a/b") + props() + b"payload"),          # PUBLISH QoS 0
        # PUBLISH QoS 1 with Content Type, a User Property and a Topic Alias (3.3.2.3).
        packet(0x32, string("a/b") + b"\x00\x01"
               + props(b"\x03" + string("text"), b"\x26" + string("k") + string("v"), b"\x23\x00\x01") + b"abcdef"),
        packet(0x40, b"\x00\x01"),                                  # PUBACK, success implied (3.4.2.1)
        packet(0x40, b"\x00\x01\x10"),                              # PUBACK "no matching subscribers"
        packet(0x40, b"\x00\x01\x87" + props()),                     # PUBACK "not authorized"
        packet(0x90, b"\x00\x02" + props() + b"\x00\x01"),           # SUBACK (3.9)
        packet(0xB0, b"\x00\x03" + props() + b"\x00"),               # UNSUBACK (3.11)
        packet(0xE0, b"\x8e" + props(b"\x1f" + string("taken over"))), # DISCONNECT (3.14)
        packet(0xE0, b""),
        packet(0xD0, b""),
        # CONNECT (3.1) at level 5 with Session Expiry and a will with Will Delay.
        packet(0x10, string("MQTT") + b"\x05\x06\x00\x3c" + props(b"\x11\x00\x00\x0e\x10") + string("id")
               + props(b"\x18\x00\x00\x00\x05") + string("w/t") + string("wm")),
    ]
    return ([b"\x00" + seed for seed in v311] + [b"\x01" + seed for seed in v5]
            + [b"\x00" + b"".join(v311[:5]), b"\x01" + b"".join(v5[:6])])


def coap() -> list[bytes]:
    # Flags byte (FuzzCoAPMapping.swift): method in bits 0-2 (0 GET, 1 POST, 2 PUT,
    # 3 DELETE), 0x08 confirmable, 0x10 observe/content-format, client id in bits 5-7.
    def request(flags: int, path: str, query: str = "", payload: bytes = b"") -> bytes:
        return bytes([flags]) + path.encode() + b"\0" + query.encode() + b"\0" + payload
    return [
        request(0x0A, "ps/room/temperature", "", b"21.5"),
        request(0x0A, "ps/room/temperature", "qos=1&retain", b"21.5"),
        request(0x09, "ps/room/temperature", "qos=2", b"{}"),
        request(0x18, "ps/room/temperature"),
        request(0x18, "ps/room%2F%2B"),
        request(0x18, "ps/room/+"),
        request(0x0B, "ps/room/temperature", "qos=1"),
        request(0x0A, "temp", "", b"20"),
        request(0x4A, "ps/ok", "", b"1"),
        request(0x6A, "ps/../escape", "", b"1"),
        request(0x0A, "ps/", ""),
        request(0x0A, "ps/a\u0000b", "retain=1"),
    ]


def topics() -> list[bytes]:
    # MQTT 3.1.1 §4.7.1's examples: filter NUL name.
    pairs = [
        ("sport/tennis/player1/#", "sport/tennis/player1"),
        ("sport/tennis/player1/#", "sport/tennis/player1/ranking"),
        ("sport/#", "sport"),
        ("sport/tennis/+", "sport/tennis/player1"),
        ("sport/+", "sport"),
        ("+/+", "/finance"),
        ("/+", "/finance"),
        ("+", "/finance"),
        ("#", "$SYS/broker"),
        ("$SYS/#", "$SYS/broker"),
        ("+/monitor/Clients", "$SYS/monitor/Clients"),
        ("sport/tennis#", "sport/tennis"),
        ("sport+", "sport"),
        ("a//b", "a//b"),
    ]
    return [f.encode() + b"\0" + n.encode() for f, n in pairs]


def config() -> list[bytes]:
    seeds = [path.read_bytes() for path in sorted((ROOT / "etc").glob("*.yaml"))]
    corpus = ROOT / "Tests" / "PerchConfigTests" / "Corpus"
    seeds += [path.read_bytes() for path in sorted(corpus.glob("*.yaml"))]
    return seeds


def gpio() -> list[bytes]:
    # SPEC §6 payloads, and the simulated chip's control lines.
    return [s.encode() for s in [
        "ON", "off", "1", "0", "true", "FALSE", "toggle", " ON \n",
        '{"state": "ON"}', '{"state": 0}', '{"state": true}', '{"state": "TOGGLE"}',
        '{"pulse_ms": 500}', '{"pulse_ms": 3600000}', '{"pulse_ms": 0}', '{"pulse_ms": 1e3}',
        '{"state": "ON", "pulse_ms": 5}', '{"a": [1, {"b": null}]}',
        "GPIO27 1", "27 low", "gpio4 HIGH",
    ]]


if __name__ == "__main__":
    write("FuzzMQTTSN", mqttsn())
    write("FuzzMQTT", mqtt())
    write("FuzzCoAPMapping", coap())
    write("FuzzTopicFilter", topics())
    write("FuzzConfig", config())
    write("FuzzGPIOCommand", gpio())
