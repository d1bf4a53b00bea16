"""Brokers with limits (issue 19, SPEC §5 "no message blocks the ones behind
it" and "the broker's limits are honoured at connect", §7 `uplink.degraded`,
`spool.dead_lettered`): real Mosquittos of the test's own configured with
`max_qos`, `retain_available false`, `max_packet_size` and
`max_inflight_messages`, with MQTT 3.1.1 and 5 on the uplink; what the sensor
is told, what the broker's subscriber gets, what the status says. Then the
poison message (a 3.1.1 broker that drops the link for it), dead letters
across kill -9, a protocol the broker does not speak, and the TLS name.

What Mosquitto 2.0.11 does with each limit was measured first
(README.md, "Brokers with limits"): a v5 CONNECT whose will
it cannot take gets CONNACK 0x9B (with Maximum QoS) or 0x9A; a 3.1.1 one is
closed before any CONNACK; a PUBLISH over a limit ends the connection (v5:
DISCONNECT 0x9B/0x9A/0x95 first; 3.1.1: nothing said)."""

import re

import pytest
from scapy.contrib import mqttsn as sn

from perch_interop.broker import Certificates
from perch_interop.coap_client import coap_client
from perch_interop.faultproxy import FaultProxy
from perch_interop.fleet import Fleet
from perch_interop.limits import (PROTOCOL_HINT, PROTOCOL_HINT_LOG, SeriesSensor, assert_link_stable,
                                  arrived, connected_status, dead_letter_lines, dead_lettered, degraded, expect_in_order,
                                  oversize_drops, protocol_extra, status, wait_for_log)
from perch_interop.spool import expect_arrival

PROTOCOLS = ["3.1.1", "5"]
# A payload that never fits a 200-byte packet limit (the topic adds more).
BIG = 400
# The poison's broker limit must still take perchd's full status document
# (about 470 bytes today, and 3.1.1 cannot tell perchd the limit): a 1 KiB
# limit and a 1500-byte message (MQTT-SN datagrams up to 2 KiB are read whole).
POISON_LIMIT = 1024
POISON = 1500


def _big(tag: str, size: int = BIG) -> bytes:
    return (tag.encode() + b" " + b"x" * size)[:size]


# --- max_qos ---------------------------------------------------------------

@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_max_qos_0_connects_with_a_qos_0_will_and_relays_qos_1_at_qos_0(
        make_broker, watch, start_perchd_on, client_ids, protocol):
    broker = make_broker(["max_qos 0"])
    watcher = watch(broker)
    # Before the fix: v5 gets CONNACK 0x9B, 3.1.1 a close, forever.
    perchd = start_perchd_on(broker, watcher, extra=protocol_extra(protocol))
    document = connected_status(watcher, perchd)
    given_up = set(degraded(document))
    assert {"will_qos", "status_qos"} <= given_up, document["uplink"]
    if protocol == "5":
        # CONNACK 0x9B said QoS; retain is available (a QoS 0 retained will connects).
        assert not given_up & {"will_retain", "status_retain"}, document["uplink"]

    with SeriesSensor(perchd, client_ids("maxqos0")) as sensor:
        topic = f"limits/{sensor.client_id}"
        # QoS 1 and 2 from the sensor: accepted, relayed at QoS 0.
        payloads = sensor.series(topic, 10, "q1", qos=1) + sensor.series(topic, 3, "q2", qos=2)
        arrived = expect_in_order(watcher, perchd.topic(topic), payloads)
        assert {message.qos for message in arrived} == {0}
    document = status(watcher, perchd, lambda doc: "message_qos" in doc.get("uplink", {}).get("degraded", []))
    assert document["uplink"]["connected"] is True
    assert_link_stable(perchd)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_max_qos_1_relays_qos_1_and_never_blocks_on_qos_2(
        make_broker, watch, start_perchd_on, client_ids, protocol):
    broker = make_broker(["max_qos 1"])
    watcher = watch(broker)
    perchd = start_perchd_on(broker, watcher, extra=protocol_extra(protocol))
    document = connected_status(watcher, perchd)
    # The default will and status (QoS 1, retained) are within the limit.
    assert not set(degraded(document)) & {"will_qos", "status_qos", "will_retain", "status_retain"}

    with SeriesSensor(perchd, client_ids("maxqos1")) as sensor:
        topic = f"limits/{sensor.client_id}"
        before = sensor.series(topic, 5, "q1", qos=1)
        assert {m.qos for m in expect_in_order(watcher, perchd.topic(topic), before)} == {1}
        # QoS 2 is over the limit: v5 learnt it from CONNACK (Maximum QoS 1) and
        # relays at QoS 1; a 3.1.1 broker says nothing and drops the link, so the
        # message ends as a dead letter. Either way the ones behind it flow on.
        qos2_topic = f"{topic}/qos2"
        sensor.publish_accepted(qos2_topic, b"two", qos=2)
        after = sensor.series(topic, 10, "after", qos=1)
        expect_in_order(watcher, perchd.topic(topic), after)
    if protocol == "5":
        assert arrived(watcher, perchd.topic(qos2_topic), b"two").qos == 1
        status(watcher, perchd, lambda doc: "message_qos" in doc.get("uplink", {}).get("degraded", []))
        assert_link_stable(perchd)
    else:
        document = status(watcher, perchd, lambda doc: "message_qos" in doc.get("uplink", {}).get("degraded", [])
                          or doc.get("spool", {}).get("dead_lettered") == 1, timeout=30)
        if dead_lettered(document) == 1:
            assert dead_letter_lines(perchd, qos2_topic), "the QoS 2 message is not listed as a dead letter"


# --- retain_available false -----------------------------------------------

@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_retain_unavailable_connects_and_publishes_the_status_not_retained(
        make_broker, watch, start_perchd_on, client_ids, protocol):
    broker = make_broker(["retain_available false"])
    watcher = watch(broker)
    # Before the fix: v5 gets CONNACK 0x9A, 3.1.1 a close, forever.
    perchd = start_perchd_on(broker, watcher, extra=protocol_extra(protocol))
    document = connected_status(watcher, perchd)
    given_up = set(degraded(document))
    assert {"will_retain", "status_retain"} <= given_up, document["uplink"]
    if protocol == "5":
        assert not given_up & {"will_qos", "status_qos"}, document["uplink"]
    # Read live ("retain as published"): the status goes without RETAIN.
    message = watcher.expect(perchd.status_topic)
    assert not message.retain

    with SeriesSensor(perchd, client_ids("noretain")) as sensor:
        topic = f"limits/{sensor.client_id}"
        sensor.publish_accepted(topic, b"kept?", qos=1, retain=True)
        payloads = [b"kept?"] + sensor.series(topic, 10, "plain")
        arrived = expect_in_order(watcher, perchd.topic(topic), payloads)
        assert not arrived[0].retain, "relayed with RETAIN to a broker without retain"
    status(watcher, perchd, lambda doc: "message_retain" in doc.get("uplink", {}).get("degraded", []))
    assert_link_stable(perchd)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_status_retain_and_qos_set_in_advance_are_the_will_s_too(
        make_broker, watch, start_perchd_on, client_ids, protocol):
    """`status.retain: false` and `status.qos: 0` for a broker known to
    allow neither retain nor QoS 1: the first CONNECT is accepted (nothing to
    give up), the status and the will (published by the broker after a
    kill -9) come at QoS 0 without RETAIN."""
    broker = make_broker(["retain_available false", "max_qos 0"])
    watcher = watch(broker, protocol="5")
    extra = protocol_extra(protocol)
    extra["status"] = {"retain": False, "qos": 0}
    perchd = start_perchd_on(broker, watcher, extra=extra, qos=2)
    document = connected_status(watcher, perchd)
    assert not set(degraded(document)) & {"will_retain", "will_qos", "status_retain", "status_qos"}, \
        document["uplink"]
    refused = [line for line in broker.log_text().splitlines() if "QoS too high or retain not supported" in line]
    assert not refused, f"the broker refused a CONNECT: {refused}"
    message = watcher.expect(perchd.status_topic)
    assert (message.qos, message.retain) == (0, False)

    perchd.kill()
    will = watcher.expect(perchd.status_topic, where=lambda m: b"offline" in m.payload)
    assert (will.qos, will.retain) == (0, False), will
    perchd.start()


# --- max_inflight_messages (Receive Maximum at v5) ---------------------------

# Mosquitto's debug line for a PUBREC refusing a QoS 2 message for the quota
# (0x97 = 151): "Sending PUBREC to CLIENT (mN, rc151)".
QUOTA_EXCEEDED = "rc151)"


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("inflight, qos2_each", [(1, 12), (None, 24)], ids=["inflight-1", "inflight-default-20"])
def test_a_qos_2_burst_respects_the_broker_s_inflight_limit(
        make_broker, make_relay, watch, start_perchd_on, client_ids, protocol, inflight, qos2_each):
    """Mosquitto takes `max_inflight_messages` (default 20) QoS 2 messages at
    a time from a client: one more before a PUBREL gets PUBREC 0x97 (quota
    exceeded) at v5 and, at 3.1.1, a PUBREC like any other while the message
    is dropped (measured). QoS 1 is not limited. perchd starts with the broker
    out of reach (the relay's listener closed), so QoS 2 and QoS 1 messages
    pile up in the spool and leave in one burst when it opens (2 × 12 QoS 2
    against a limit of 1, 2 × 24 against the default 20); every one must
    arrive, in order, and the broker (debug log) never refused one."""
    lines = ["log_type debug"] + ([f"max_inflight_messages {inflight}"] if inflight else [])
    broker = make_broker(lines)
    relay = make_relay((broker.host, broker.port))
    relay.close_listener()
    watcher = watch(broker)
    perchd = start_perchd_on(broker, watcher, extra=protocol_extra(protocol, url=relay.url()),
                             wait_for_uplink=False)
    sent: dict[str, list[bytes]] = {}
    with SeriesSensor(perchd, client_ids("inflight2")) as first, \
            SeriesSensor(perchd, client_ids("inflight2")) as second:
        for sensor in (first, second):
            # Each is acknowledged once the spool commits it (every 100 ms).
            # QoS 1 on a topic of its own: Mosquitto passes a QoS 2 message on
            # at PUBREL and a QoS 1 one at once, so mixed on one topic they may
            # overtake each other at the broker.
            topic = f"limits/{sensor.client_id}"
            sent[topic] = sensor.series(topic, qos2_each, "q2", qos=2)
            sent[f"{topic}/q1"] = sensor.series(f"{topic}/q1", 6, "q1", qos=1)
    mark = perchd.log.count()
    relay.open_listener()
    perchd.log.wait_for(r"uplink connected", timeout=20, start=mark)
    for topic, payloads in sent.items():
        expect_in_order(watcher, perchd.topic(topic), payloads)
    refused = [line for line in broker.log_text().splitlines() if QUOTA_EXCEEDED in line]
    assert not refused, f"the broker refused QoS 2 messages for its quota: {refused[:3]}"

    document = connected_status(watcher, perchd)
    # Nothing to give up on this broker, and the keys are there (SPEC §7).
    assert degraded(document) == []
    assert dead_lettered(document) == 0
    fleet = Fleet(perchd.address, [client_ids("inflight") for _ in range(4)], count=30, deadline_s=30).start()
    try:
        fleet.wait_for_accepted(120, timeout=25)
    finally:
        fleet.stop()
    arrivals = fleet.arrivals(perchd.mountpoint)
    expect_arrival(watcher, perchd, arrivals, fleet.accepted(), timeout=20)
    assert arrivals.out_of_order() == {}


# --- max_packet_size --------------------------------------------------------

@pytest.mark.parametrize("protocol, uplink_limit", [("5", None), ("3.1.1", "200")],
                         ids=["5-from-connack", "3.1.1-from-config"])
def test_a_message_that_can_never_fit_is_refused_at_the_door(
        make_broker, watch, start_perchd_on, client_ids, protocol, uplink_limit):
    """The broker takes at most 200 bytes a packet; perchd knows it from the
    v5 CONNACK or from `uplink.max_packet_size`. 400 bytes: MQTT-SN 0x03,
    CoAP 4.13, nothing sent; the status still fits; the rest flows."""
    broker = make_broker(["max_packet_size 200"])
    watcher = watch(broker)
    extra = protocol_extra(protocol, **({"max_packet_size": uplink_limit} if uplink_limit else {}))
    perchd = start_perchd_on(broker, watcher, extra=extra, coap=True)
    # A status document that fits (compact, at least the state).
    status(watcher, perchd, lambda doc: doc.get("state") == "online")

    with SeriesSensor(perchd, client_ids("door")) as sensor:
        topic = f"limits/{sensor.client_id}"
        before = sensor.series(topic, 3, "before")
        code = sensor.publish_refused(topic, _big("mqtt-sn"))
        assert code == sn.REJ_NOTSUP, f"PUBACK return code {code:#04x}, wanted 0x03 (not supported)"
        coap_topic = f"limits/{sensor.client_id}/coap"
        run = coap_client(perchd.coap_uri(f"ps/{coap_topic}?qos=1"), "put", _big("coap"))
        assert run.final.code == "4.13", f"CoAP answered {run.codes}"
        small = coap_client(perchd.coap_uri(f"ps/{coap_topic}?qos=1"), "put", b"small coap")
        assert small.final.code == "2.04", f"CoAP answered {small.codes}"
        after = sensor.series(topic, 3, "after")
        expect_in_order(watcher, perchd.topic(topic), before + after)
        arrived(watcher, perchd.topic(coap_topic), b"small coap")
    too_big = [m for m in watcher.seen if len(m.payload) >= BIG]
    assert not too_big, f"oversized messages reached the broker: {[m.topic for m in too_big]}"
    assert oversize_drops(broker) == 0, "the broker dropped perchd for an oversize packet"
    assert_link_stable(perchd)


def test_a_poison_message_is_dead_lettered_and_the_rest_flows_on(
        make_broker, watch, start_perchd_on, client_ids):
    """3.1.1 with a 1 KiB broker limit perchd cannot know: the 1500-byte
    message is accepted, the broker drops the link each time it is sent;
    after at most 3 retries it goes to the dead-letter table and the 10
    messages behind it arrive in order. It is listed, counted, logged once,
    re-queued with perchd stopped, and delivered by a broker without the limit."""
    broker = make_broker([f"max_packet_size {POISON_LIMIT}"])
    watcher = watch(broker, resubscribe=True)
    perchd = start_perchd_on(broker, watcher, extra=protocol_extra("3.1.1"))
    connected_status(watcher, perchd)

    with SeriesSensor(perchd, client_ids("poison")) as sensor:
        topic = f"limits/{sensor.client_id}"
        poison_topic = f"{topic}/poison"
        poison = _big("poison", POISON)
        before = sensor.series(topic, 2, "before")
        expect_in_order(watcher, perchd.topic(topic), before)
        # Not known to be too big: acknowledged (spooled or sent).
        sensor.publish_accepted(poison_topic, poison)
        after = sensor.series(topic, 10, "after")
        expect_in_order(watcher, perchd.topic(topic), after, timeout=40)

        document = status(watcher, perchd, lambda doc: doc.get("spool", {}).get("dead_lettered") == 1, timeout=20)
        assert document["uplink"]["connected"] is True
        drops = oversize_drops(broker)
        assert 1 <= drops <= 4, f"the broker dropped perchd {drops} times for the poison (1 + at most 3 retries)"
        # Logged once, with its topic.
        lines = [line for line in perchd.log.lines if re.search(r"(?i)dead.?letter", line)]
        assert len([line for line in lines if poison_topic in line]) == 1, lines
        # Listed while perchd runs: topic, size, reason.
        listed = dead_letter_lines(perchd, poison_topic)
        assert len(listed) == 1, listed
        assert re.search(rf"\b{POISON}\b", listed[0]), f"no size {POISON} in {listed[0]!r}"
        # A barrier: nothing more was sent to the broker for it.
        barrier = sensor.series(topic, 1, "barrier")
        expect_in_order(watcher, perchd.topic(topic), barrier)
        assert oversize_drops(broker) == drops, "the dead letter was sent again"
        print(f"poison: the broker dropped perchd {drops} times; listed as {listed[0]!r}; logged as {lines}")
    assert not [m for m in watcher.seen if m.topic == perchd.topic(poison_topic)]

    # --requeue refuses while perchd runs …
    refused = perchd.command("spool", "dead-letters", "--requeue")
    assert refused.returncode != 0, f"--requeue with perchd running exited 0:\n{refused.stdout}"
    assert refused.stdout.strip(), "--requeue refused without a word"
    assert len(dead_letter_lines(perchd, poison_topic)) == 1
    # … and moves it back with perchd stopped.
    assert perchd.stop() == 0
    requeued = perchd.command("spool", "dead-letters", "--requeue")
    assert requeued.returncode == 0, requeued.stdout
    print(f"--requeue while running: exit {refused.returncode}, {refused.stdout.strip()!r}; "
          f"stopped: {requeued.stdout.strip()!r}")
    assert re.search(r"\b1\b", requeued.stdout), f"--requeue did not say how many: {requeued.stdout!r}"
    assert dead_letter_lines(perchd, poison_topic) == []

    # A broker without the limit takes it at the next start.
    connections = watcher.connections
    broker.stop()
    broker.reconfigure([])
    broker.start()
    watcher.wait_for_resubscription(connections + 1)
    perchd.start()
    watcher.expect(perchd.topic(poison_topic), poison, timeout=20)
    status(watcher, perchd, lambda doc: doc.get("spool", {}).get("dead_lettered") == 0
           and doc.get("spool", {}).get("messages") == 0)


def test_a_dead_letter_survives_kill_9_and_nothing_acknowledged_is_lost(
        make_broker, watch, start_perchd_on, client_ids):
    broker = make_broker([f"max_packet_size {POISON_LIMIT}"])
    watcher = watch(broker)
    perchd = start_perchd_on(broker, watcher, extra=protocol_extra("3.1.1"))
    with SeriesSensor(perchd, client_ids("deadkill")) as sensor:
        topic = f"limits/{sensor.client_id}"
        poison_topic = f"{topic}/poison"
        sensor.publish_accepted(poison_topic, _big("poison", POISON))
        first = sensor.series(topic, 10, "first")
        expect_in_order(watcher, perchd.topic(topic), first, timeout=40)
        status(watcher, perchd, lambda doc: doc.get("spool", {}).get("dead_lettered") == 1, timeout=20)
        # Acknowledged right before the crash: committed to the spool or at the broker.
        last = sensor.series(topic, 10, "last")
    perchd.crash_and_restart()
    assert len(dead_letter_lines(perchd, poison_topic)) == 1, "the dead letter is gone after kill -9"
    expect_in_order(watcher, perchd.topic(topic), last, timeout=30)
    document = status(watcher, perchd, lambda doc: doc.get("uplink", {}).get("connected") is True
                      and doc.get("spool", {}).get("messages") == 0)
    assert dead_lettered(document) == 1
    assert not [m for m in watcher.seen if m.topic == perchd.topic(poison_topic)]


# --- a broker that does not speak MQTT 5 --------------------------------------

@pytest.mark.parametrize("connack", ["20 02 00 01", "20 03 00 84 00"], ids=["3.1.1-layout-0x01", "v5-0x84"])
def test_a_v5_connect_refused_for_its_protocol_names_uplink_protocol(
        make_broker, watch, start_perchd_on, spool_certificates, connack):
    """A broker answering the v5 CONNECT with "unacceptable protocol version"
    (3.1.1's 0x01, in 3.1.1's CONNACK layout) or v5's 0x84: the log and
    `uplink.last_error` point at `uplink.protocol: "3.1.1"`. The status is
    read once the same perchd reaches a broker that answers (a proxy in
    front of Mosquitto that first refuses, then forwards)."""
    broker = make_broker()
    watcher = watch(broker)
    proxy = FaultProxy(broker, spool_certificates)
    proxy.mode, proxy.answer = "answer", bytes.fromhex(connack)
    try:
        perchd = start_perchd_on(broker, watcher, extra={"uplink": {"url": proxy.url}}, wait_for_uplink=False)
        line = perchd.log.wait_for(PROTOCOL_HINT_LOG, timeout=20)
        assert "MQTT 5" in line, line
        proxy.wait_until(lambda p: p.answered >= 1, timeout=10, what="the proxy refused no CONNECT")
        mark = perchd.log.count()
        proxy.mode = "forward"
        perchd.log.wait_for(r"uplink connected", timeout=20, start=mark)
        document = connected_status(watcher, perchd)
        assert PROTOCOL_HINT in (document["uplink"].get("last_error") or ""), document["uplink"]
        # Stopped while the proxy still forwards (the fixture would find the
        # uplink gone and wait out the offline status's 3 s).
        assert perchd.stop() == 0
    finally:
        proxy.close()


# --- TLS: the configured name is the one verified -----------------------------

def test_tls_verifies_the_configured_server_name_not_the_connected_ip(
        scratch_dir, make_broker, make_relay, watch, start_perchd_on):
    """The broker's certificate names DNS:broker.test and IP:127.0.0.1;
    perchd connects to 127.0.0.1 with `tls.server_name: wrong.test`. It must
    refuse, naming both. Then the relay in front switches to a broker whose
    certificate (same CA) is for wrong.test: the connection that succeeds
    publishes a status whose `last_error` is that refusal. With
    `server_name: broker.test` the first broker is accepted."""
    named_directory, wrong_directory = scratch_dir / "named", scratch_dir / "wrong"
    for directory in (named_directory, wrong_directory):
        directory.mkdir(mode=0o755)
    named = Certificates.make(named_directory, common_name="broker.test",
                              subject_alt_names=("DNS:broker.test", "IP:127.0.0.1"))
    # With the IP too, so that the watcher (paho checks the address it dials) can connect.
    wrong = named.issue(wrong_directory, "wrong.test", ("DNS:wrong.test", "IP:127.0.0.1"))
    broker = make_broker(certificates=named)
    wrong_broker = make_broker(certificates=wrong)
    relay = make_relay((broker.host, broker.port))
    watcher = watch(wrong_broker)
    perchd = start_perchd_on(wrong_broker, watcher, wait_for_uplink=False, extra={
        "uplink": {"url": relay.url(), "tls": {"server_name": "wrong.test"}}})
    first = wait_for_log(perchd, "uplink connection attempt failed", "wrong.test", "broker.test")
    index = perchd.log.lines.index(first)
    wait_for_log(perchd, "uplink connection attempt failed", start=index + 1)
    assert not [line for line in perchd.log.lines if "uplink connected" in line], \
        "perchd accepted a certificate for broker.test with server_name wrong.test"
    mark = perchd.log.count()
    relay.target = (wrong_broker.host, wrong_broker.port)
    perchd.log.wait_for(r"uplink connected", timeout=20, start=mark)
    document = connected_status(watcher, perchd)
    last_error = document["uplink"].get("last_error") or ""
    assert "wrong.test" in last_error and "broker.test" in last_error, document["uplink"]

    right_watcher = watch(broker)
    right = start_perchd_on(broker, right_watcher, extra={"uplink": {"tls": {"server_name": "broker.test"}}})
    connected_status(right_watcher, right)
