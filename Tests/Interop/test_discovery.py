"""Gateway discovery and liveness: SEARCHGW/GWINFO (§6.1), PINGREQ/PINGRESP (§6.11)."""

import socket

from scapy.contrib import mqttsn as sn

from perch_interop import packets
from perch_interop.perchd import GATEWAY_ID
from perch_interop.sensor import Sensor


def test_searchgw_is_answered_with_gwinfo_carrying_the_configured_gateway_id(perchd):
    # §5.4.3: a GWINFO sent by a gateway carries only GwId (no GwAdd).
    with Sensor(perchd.address, "searcher") as sensor:
        sensor.send(packets.searchgw(radius=1))
        gwinfo = sensor.expect(sn.GWINFO)
        assert gwinfo.len == 3, f"GWINFO from a gateway is 3 octets: {sensor.received[-1].hex(' ')}"
        assert gwinfo[sn.MQTTSNGwInfo].gw_id == GATEWAY_ID


def test_pingreq_of_a_connected_client_is_answered_with_pingresp(perchd, client_ids):
    with Sensor(perchd.address, client_ids("pinger")) as sensor:
        assert sensor.connect(duration=30) == sn.ACCEPTED
        sensor.ping()
        sensor.ping()  # a second one too: the keep-alive restarts on each


def test_advertise_is_sent_on_its_interval(start_perchd):
    # §6.1: ADVERTISE(GwId, Duration = seconds until the next one) to the
    # configured address; here a loopback socket of the test's instead of a broadcast.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.settimeout(5.0)
        address = f"127.0.0.1:{listener.getsockname()[1]}"
        start_perchd({"mqttsn": {"advertise": {"interval": "1s", "address": address}}})
        for _ in range(2):  # the first at start, the next one interval later
            data, _ = listener.recvfrom(65535)
            advertise = packets.parse(data)
            assert advertise.type == sn.ADVERTISE, data.hex(" ")
            assert (advertise[sn.MQTTSNAdvertise].gw_id, advertise[sn.MQTTSNAdvertise].duration) == (GATEWAY_ID, 1)
