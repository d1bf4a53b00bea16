"""A CoAP message encoder and decoder written here from RFC 7252 §3 (header,
token, options with delta/length nibbles and their 13/14 extensions, payload
marker), for exchanges no library client sends: block-wise requests without
Size1, odd option mixes, raw datagrams. Independent of perchd's code and of
libcoap."""

import os
import socket
import struct
from dataclasses import dataclass, field

CON, NON, ACK, RST = 0, 1, 2, 3
GET, POST, PUT, DELETE = 1, 2, 3, 4

# RFC 7252 §5.10, RFC 7641 §2, RFC 7959 §2.1/§4.
OBSERVE, URI_PATH, CONTENT_FORMAT, URI_QUERY = 6, 11, 12, 15
BLOCK2, BLOCK1, SIZE2, SIZE1 = 23, 27, 28, 60


def _nibble(value: int) -> tuple[int, bytes]:
    if value < 13:
        return value, b""
    if value < 269:
        return 13, bytes([value - 13])
    return 14, struct.pack("!H", value - 269)


def uint_option(value: int) -> bytes:
    """An unsigned-integer option value in the fewest bytes (RFC 7252 §3.2)."""
    length = (value.bit_length() + 7) // 8
    return value.to_bytes(length, "big") if length else b""


def block_option(number: int, more: bool, szx: int) -> bytes:
    """Block1/Block2 (RFC 7959 §2.2): NUM, M, SZX (block size 2**(SZX+4))."""
    return uint_option(number << 4 | (8 if more else 0) | szx)


def encode(mtype: int, code: int, message_id: int, token: bytes = b"",
           options: list[tuple[int, bytes]] | None = None, payload: bytes = b"") -> bytes:
    """One CoAP message; `code` as class*32 + detail (PUT = 3, 2.04 = 68)."""
    assert len(token) <= 8
    out = bytearray([0x40 | mtype << 4 | len(token), code]) + struct.pack("!H", message_id) + token
    previous = 0
    for number, value in sorted(options or [], key=lambda option: option[0]):  # stable: repeats keep order
        delta, delta_ext = _nibble(number - previous)
        length, length_ext = _nibble(len(value))
        out += bytes([delta << 4 | length]) + delta_ext + length_ext + value
        previous = number
    if payload:
        out += b"\xff" + payload
    return bytes(out)


@dataclass
class Message:
    mtype: int
    code: int
    message_id: int
    token: bytes
    options: list[tuple[int, bytes]] = field(default_factory=list)
    payload: bytes = b""

    @property
    def code_text(self) -> str:
        """`2.04`-style."""
        return f"{self.code >> 5}.{self.code & 31:02d}"

    def option(self, number: int) -> bytes | None:
        return next((value for option, value in self.options if option == number), None)


def decode(data: bytes) -> Message:
    """Parses one message; raises ValueError on a malformed one."""
    if len(data) < 4 or data[0] >> 6 != 1:
        raise ValueError("not a CoAP 1 message")
    tkl = data[0] & 0x0F
    mtype = data[0] >> 4 & 0x03
    code, message_id = data[1], struct.unpack("!H", data[2:4])[0]
    token, position = data[4:4 + tkl], 4 + tkl
    options, number = [], 0
    while position < len(data) and data[position] != 0xFF:
        byte = data[position]
        position += 1
        delta, length = byte >> 4, byte & 0x0F
        values = []
        for nibble in (delta, length):
            if nibble == 13:
                values.append(data[position] + 13)
                position += 1
            elif nibble == 14:
                values.append(struct.unpack("!H", data[position:position + 2])[0] + 269)
                position += 2
            elif nibble == 15:
                raise ValueError("reserved nibble")
            else:
                values.append(nibble)
        number += values[0]
        options.append((number, data[position:position + values[1]]))
        position += values[1]
    payload = data[position + 1:] if position < len(data) else b""
    return Message(mtype, code, message_id, token, options, payload)


class RawCoAP:
    """A UDP socket on loopback talking raw CoAP to one server."""

    def __init__(self, address: tuple[str, int], timeout: float = 5.0):
        self.address = address
        self.socket = socket.socket(socket.AF_INET6 if ":" in address[0] else socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.settimeout(timeout)
        self.next_id = int.from_bytes(os.urandom(2), "big")

    def message_id(self) -> int:
        self.next_id = (self.next_id + 1) & 0xFFFF
        return self.next_id

    def send(self, data: bytes) -> None:
        self.socket.sendto(data, self.address)

    def receive(self) -> Message:
        data, _ = self.socket.recvfrom(65536)
        return decode(data)

    def exchange(self, data: bytes) -> Message:
        """Sends a confirmable request and returns the first answer whose
        message id or token matches it (a piggy-backed response, or an empty
        ACK followed by the separate response, which is acknowledged)."""
        request = decode(data)
        self.send(data)
        for _ in range(8):  # bounded: an empty ACK, then the response
            answer = self.receive()
            if answer.mtype == ACK and answer.code == 0 and answer.message_id == request.message_id:
                continue  # empty ACK: the response follows separately (RFC 7252 §5.2.2)
            if answer.token != request.token:
                continue
            if answer.mtype == CON:
                self.send(encode(ACK, 0, answer.message_id))
            return answer
        raise AssertionError("no response within 8 datagrams")

    def close(self) -> None:
        self.socket.close()

    def __enter__(self) -> "RawCoAP":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
