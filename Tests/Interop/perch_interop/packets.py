"""MQTT-SN v1.2 packets built and parsed by scapy's `scapy.contrib.mqttsn`
layer: the independent encoder/decoder of this suite (Perch's own codec is not
used anywhere here).

Where scapy 2.8.0 departs from the specification, the builder below says so
and states the bytes on the wire explicitly (see also README.md):

- DISCONNECT without a Duration (§5.4.21): `MQTTSN()/MQTTSNDisconnect()`
  encodes `02 18 00 00` (length 2, four octets: the optional Duration is
  emitted anyway). `disconnect()` pins the length to 2, which drops it.
- The empty WILLTOPIC/WILLTOPICUPD (§5.4.7, §5.4.22: exactly two octets,
  no Flags, deletes the will) cannot be expressed through the layer, which
  always writes Flags; `empty_will_topic_update()` builds the header alone.
"""

from scapy.contrib import mqttsn as sn
from scapy.packet import Packet

QOS_MINUS_ONE = sn.QOS_NEG1

# Topic id types, §5.3.4 (Flags bits 1-0).
NORMAL, PREDEFINED, SHORT = sn.TID_NORMAL, sn.TID_PREDEF, sn.TID_SHORT

_QOS_BITS = {-1: sn.QOS_NEG1, 0: sn.QOS_0, 1: sn.QOS_1, 2: sn.QOS_2}


def qos_bits(qos: int) -> int:
    """The QoS flag value (§5.3.4: 0b11 is QoS -1)."""
    return _QOS_BITS[qos]


def short_id(name: str) -> int:
    """A two-character short topic name as the 16-bit TopicId field (§3, §5.3.11)."""
    encoded = name.encode()
    assert len(encoded) == 2, "a short topic name has exactly two characters"
    return int.from_bytes(encoded, "big")


def searchgw(radius: int = 0) -> Packet:
    """SEARCHGW (§5.4.2)."""
    return sn.MQTTSN() / sn.MQTTSNSearchGW(radius=radius)


def connect(client_id: str, duration: int, clean: bool = True, will: bool = False) -> Packet:
    """CONNECT (§5.4.4), protocol id 0x01."""
    return sn.MQTTSN() / sn.MQTTSNConnect(cleansess=int(clean), will=int(will), duration=duration,
                                          client_id=client_id.encode())


def will_topic(topic: str, qos: int = 0, retain: bool = False) -> Packet:
    """WILLTOPIC (§5.4.7)."""
    return sn.MQTTSN() / sn.MQTTSNWillTopic(qos=qos_bits(qos), retain=int(retain), will_topic=topic.encode())


def will_message(message: bytes) -> Packet:
    """WILLMSG (§5.4.9)."""
    return sn.MQTTSN() / sn.MQTTSNWillMsg(will_msg=message)


def will_topic_update(topic: str, qos: int = 0, retain: bool = False) -> Packet:
    """WILLTOPICUPD (§5.4.22)."""
    return sn.MQTTSN() / sn.MQTTSNWillTopicUpd(qos=qos_bits(qos), retain=int(retain), will_topic=topic.encode())


def empty_will_topic_update() -> Packet:
    """The two-octet WILLTOPICUPD that deletes the will (§5.4.22); see the module note."""
    return sn.MQTTSN(len=2, type=sn.WILLTOPICUPD)


def will_message_update(message: bytes) -> Packet:
    """WILLMSGUPD (§5.4.23)."""
    return sn.MQTTSN() / sn.MQTTSNWillMsgUpd(will_msg=message)


def register(topic: str, mid: int, tid: int = 0) -> Packet:
    """REGISTER (§5.4.10); a client sends TopicId 0x0000."""
    return sn.MQTTSN() / sn.MQTTSNRegister(tid=tid, mid=mid, topic_name=topic.encode())


def regack(tid: int, mid: int, return_code: int = sn.ACCEPTED) -> Packet:
    """REGACK (§5.4.11)."""
    return sn.MQTTSN() / sn.MQTTSNRegack(tid=tid, mid=mid, return_code=return_code)


def publish(tid: int, data: bytes, qos: int = 0, mid: int = 0, tid_type: int = NORMAL,
            retain: bool = False, dup: bool = False) -> Packet:
    """PUBLISH (§5.4.12); MsgId is 0x0000 at QoS 0 and -1."""
    return sn.MQTTSN() / sn.MQTTSNPublish(dup=int(dup), qos=qos_bits(qos), retain=int(retain),
                                          tid_type=tid_type, tid=tid, mid=mid, data=data)


def puback(tid: int, mid: int, return_code: int = sn.ACCEPTED) -> Packet:
    """PUBACK (§5.4.13)."""
    return sn.MQTTSN() / sn.MQTTSNPuback(tid=tid, mid=mid, return_code=return_code)


def pubrec(mid: int) -> Packet:
    """PUBREC (§5.4.14)."""
    return sn.MQTTSN() / sn.MQTTSNPubrec(mid=mid)


def pubrel(mid: int) -> Packet:
    """PUBREL (§5.4.14)."""
    return sn.MQTTSN() / sn.MQTTSNPubrel(mid=mid)


def pubcomp(mid: int) -> Packet:
    """PUBCOMP (§5.4.14)."""
    return sn.MQTTSN() / sn.MQTTSNPubcomp(mid=mid)


def subscribe(mid: int, qos: int = 0, topic_name: str | None = None, predefined: int | None = None,
              short: str | None = None) -> Packet:
    """SUBSCRIBE (§5.4.15) by topic name (wildcards allowed), predefined id or short name."""
    if predefined is not None:
        return sn.MQTTSN() / sn.MQTTSNSubscribe(qos=qos_bits(qos), tid_type=PREDEFINED, mid=mid, tid=predefined)
    if short is not None:
        return sn.MQTTSN() / sn.MQTTSNSubscribe(qos=qos_bits(qos), tid_type=SHORT, mid=mid,
                                                short_topic=short.encode())
    assert topic_name is not None
    return sn.MQTTSN() / sn.MQTTSNSubscribe(qos=qos_bits(qos), tid_type=NORMAL, mid=mid,
                                            topic_name=topic_name.encode())


def unsubscribe(mid: int, topic_name: str | None = None, predefined: int | None = None,
                short: str | None = None) -> Packet:
    """UNSUBSCRIBE (§5.4.17)."""
    if predefined is not None:
        return sn.MQTTSN() / sn.MQTTSNUnsubscribe(tid_type=PREDEFINED, mid=mid, tid=predefined)
    if short is not None:
        return sn.MQTTSN() / sn.MQTTSNUnsubscribe(tid_type=SHORT, mid=mid, short_topic=short.encode())
    assert topic_name is not None
    return sn.MQTTSN() / sn.MQTTSNUnsubscribe(tid_type=NORMAL, mid=mid, topic_name=topic_name.encode())


def pingreq(client_id: str | None = None) -> Packet:
    """PINGREQ (§5.4.19); with the client id when a sleeping client wakes (§6.14)."""
    return sn.MQTTSN() / sn.MQTTSNPingReq(client_id=(client_id or "").encode())


def disconnect(duration: int | None = None) -> Packet:
    """DISCONNECT (§5.4.21), with a sleep duration or without one (see the module note)."""
    if duration is None:
        return sn.MQTTSN(len=2) / sn.MQTTSNDisconnect()
    return sn.MQTTSN() / sn.MQTTSNDisconnect(duration=duration)


def encapsulated(node_id: bytes, inner: Packet, radius: int = 0) -> Packet:
    """A forwarder-encapsulated message (§5.5)."""
    return sn.MQTTSN() / sn.MQTTSNEncaps(radius=radius, w_node_id=node_id) / inner


def parse(data: bytes) -> Packet:
    """A datagram as scapy dissects it."""
    return sn.MQTTSN(data)


def type_name(message_type: int) -> str:
    """A MsgType's name (§5.2.2, Table 3)."""
    return sn.PACKET_TYPE.get(message_type, f"0x{message_type:02x}")
