"""An MQTT-SN sensor on a real UDP socket whose packets scapy builds and
dissects. Every receive is bounded by a socket timeout; a test fails with the
datagram's bytes when the gateway answers something else than expected."""

import socket
import time

from scapy.contrib import mqttsn as sn
from scapy.packet import Packet

from . import packets


class Sensor:
    """One client: its own socket (so its own address at the gateway) and its
    own message ids."""

    def __init__(self, gateway: tuple[str, int], client_id: str, timeout: float = 5.0):
        self.gateway = gateway
        self.client_id = client_id
        self.timeout = timeout
        family = socket.AF_INET6 if ":" in gateway[0] else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_DGRAM)
        self.socket.bind((gateway[0], 0))
        self._mid = 0
        self.received: list[bytes] = []

    def __enter__(self) -> "Sensor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Closes the socket."""
        self.socket.close()

    def next_mid(self) -> int:
        """A fresh MsgId (§5.3.6: never 0x0000 where one is needed)."""
        self._mid = self._mid % 0xFFFF + 1
        return self._mid

    # Sending and receiving

    def send(self, packet: Packet | bytes) -> None:
        """Sends one datagram."""
        self.socket.sendto(bytes(packet), self.gateway)

    def searchgw(self) -> Packet:
        """SEARCHGW with radius 0, for probes."""
        return packets.searchgw()

    def receive_or_none(self, timeout: float | None = None) -> Packet | None:
        """The next datagram, dissected, or None when nothing arrives in time."""
        self.socket.settimeout(self.timeout if timeout is None else timeout)
        try:
            data, _ = self.socket.recvfrom(65535)
        except socket.timeout:
            return None
        self.received.append(data)
        return packets.parse(data)

    def receive(self, timeout: float | None = None) -> Packet:
        """The next datagram, dissected; fails when none arrives in time."""
        packet = self.receive_or_none(timeout)
        assert packet is not None, \
            f"{self.client_id}: no datagram from the gateway within {self.timeout if timeout is None else timeout}s"
        return packet

    def expect(self, message_type: int, timeout: float | None = None) -> Packet:
        """The next datagram, which must be of `message_type`."""
        packet = self.receive(timeout)
        assert packet.type == message_type, (
            f"{self.client_id}: expected {packets.type_name(message_type)}, got "
            f"{packets.type_name(packet.type)}: {bytes(self.received[-1]).hex(' ')}")
        return packet

    def expect_nothing(self, within: float) -> None:
        """Fails when any datagram arrives within `within` seconds."""
        deadline = time.monotonic() + within
        while (remaining := deadline - time.monotonic()) > 0:
            packet = self.receive_or_none(remaining)
            assert packet is None, (f"{self.client_id}: expected no datagram, got "
                                    f"{packets.type_name(packet.type)}: {self.received[-1].hex(' ')}")

    # Flows of the specification, step by step

    def connect(self, duration: int = 60, clean: bool = True, will: tuple[str, bytes] | None = None,
                will_qos: int = 0, will_retain: bool = False) -> int:
        """CONNECT, with the will flow when `will` is (topic, message) (§6.2);
        the CONNACK's return code."""
        self.send(packets.connect(self.client_id, duration, clean=clean, will=will is not None))
        if will is not None:
            self.expect(sn.WILLTOPICREQ)
            self.send(packets.will_topic(will[0], qos=will_qos, retain=will_retain))
            self.expect(sn.WILLMSGREQ)
            self.send(packets.will_message(will[1]))
        return self.expect(sn.CONNACK)[sn.MQTTSNConnack].return_code

    def register(self, topic: str) -> int:
        """REGISTER → REGACK (§6.5); the topic id, after checking MsgId and return code."""
        mid = self.next_mid()
        self.send(packets.register(topic, mid))
        regack = self.expect(sn.REGACK)[sn.MQTTSNRegack]
        assert regack.mid == mid, f"REGACK MsgId {regack.mid}, REGISTER's was {mid}"
        assert regack.return_code == sn.ACCEPTED, f"REGACK return code {regack.return_code} for {topic}"
        assert regack.tid not in (0x0000, 0xFFFF), f"REGACK gave the reserved topic id {regack.tid:#06x}"
        return regack.tid

    def publish(self, tid: int, data: bytes, qos: int = 0, tid_type: int = packets.NORMAL,
                retain: bool = False) -> Packet | None:
        """PUBLISH with the whole QoS flow (§6.6): PUBACK at QoS 1; PUBREC,
        PUBREL, PUBCOMP at QoS 2. Returns the PUBACK at QoS 1."""
        mid = self.next_mid() if qos in (1, 2) else 0
        self.send(packets.publish(tid, data, qos=qos, mid=mid, tid_type=tid_type, retain=retain))
        if qos == 1:
            puback = self.expect(sn.PUBACK)[sn.MQTTSNPuback]
            assert (puback.tid, puback.mid) == (tid, mid), \
                f"PUBACK for topic {puback.tid} msg {puback.mid}, sent topic {tid} msg {mid}"
            return puback
        if qos == 2:
            pubrec = self.expect(sn.PUBREC)[sn.MQTTSNPubrec]
            assert pubrec.mid == mid, f"PUBREC MsgId {pubrec.mid}, PUBLISH's was {mid}"
            self.send(packets.pubrel(mid))
            pubcomp = self.expect(sn.PUBCOMP)[sn.MQTTSNPubcomp]
            assert pubcomp.mid == mid, f"PUBCOMP MsgId {pubcomp.mid}, PUBLISH's was {mid}"
        return None

    def subscribe(self, qos: int = 0, **topic) -> Packet:
        """SUBSCRIBE → SUBACK (§6.9), checking MsgId and return code; the SUBACK."""
        mid = self.next_mid()
        self.send(packets.subscribe(mid, qos=qos, **topic))
        suback = self.expect(sn.SUBACK)[sn.MQTTSNSuback]
        assert suback.mid == mid, f"SUBACK MsgId {suback.mid}, SUBSCRIBE's was {mid}"
        assert suback.return_code == sn.ACCEPTED, f"SUBACK return code {suback.return_code} for {topic}"
        return suback

    def unsubscribe(self, **topic) -> None:
        """UNSUBSCRIBE → UNSUBACK with the same MsgId (§6.9)."""
        mid = self.next_mid()
        self.send(packets.unsubscribe(mid, **topic))
        unsuback = self.expect(sn.UNSUBACK)[sn.MQTTSNUnsuback]
        assert unsuback.mid == mid, f"UNSUBACK MsgId {unsuback.mid}, UNSUBSCRIBE's was {mid}"

    def receive_publish(self, timeout: float | None = None, acknowledge: bool = True) -> Packet:
        """The next datagram, a gateway PUBLISH (§6.10); acknowledged at QoS 1
        (PUBACK) when `acknowledge`. Returns the PUBLISH layer."""
        publish = self.expect(sn.PUBLISH, timeout)[sn.MQTTSNPublish]
        if acknowledge and publish.qos == sn.QOS_1:
            self.send(packets.puback(publish.tid, publish.mid))
        return publish

    def accept_register(self, timeout: float | None = None) -> tuple[int, str]:
        """The next datagram, a gateway REGISTER, answered with REGACK accepted (§6.10);
        (topic id, topic name)."""
        register = self.expect(sn.REGISTER, timeout)[sn.MQTTSNRegister]
        self.send(packets.regack(register.tid, register.mid))
        return register.tid, register.topic_name.decode()

    def disconnect(self, duration: int | None = None) -> None:
        """DISCONNECT, answered by DISCONNECT (§6.12, §6.14)."""
        self.send(packets.disconnect(duration))
        self.expect(sn.DISCONNECT)

    def ping(self, client_id: str | None = None) -> None:
        """PINGREQ → PINGRESP (§6.11)."""
        self.send(packets.pingreq(client_id))
        self.expect(sn.PINGRESP)
