"""Exchanges no library client sends, as raw datagrams (perch_interop/raw_coap.py,
written from RFC 7252 §3): issue 20's CoAP defects."""

import os

import pytest

from perch_interop.coap import await_notifications, coap_status, request
from perch_interop.raw_coap import (BLOCK1, CON, GET, OBSERVE, PUT, RST, SIZE1, URI_PATH, URI_QUERY, RawCoAP,
                                    block_option, encode, uint_option)


def _path(*segments: bytes) -> list[tuple[int, bytes]]:
    return [(URI_PATH, segment) for segment in segments]


@pytest.mark.parametrize("same_token", [True, False], ids=["one-token", "token-per-block"])
@pytest.mark.parametrize("with_size1", [False, True], ids=["no-size1", "size1"])
def test_a_block1_put_is_published_once_reassembled_and_perchd_survives(coap_perchd, upstream, same_token, with_size1):
    """RFC 7959 §2.3: Size1 is optional. 64 + 36 bytes in two Block1 requests
    reach the broker as one message, byte for byte; perchd keeps answering."""
    body = os.urandom(100)
    topic = f"raw/block1/{int(same_token)}{int(with_size1)}"
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        token = os.urandom(4)
        first_options = _path(b"ps", *topic.encode().split(b"/")) + [(BLOCK1, block_option(0, True, 2))]
        if with_size1:
            first_options.append((SIZE1, uint_option(len(body))))
        first = client.exchange(encode(CON, PUT, client.message_id(), token, first_options, body[:64]))
        assert first.code_text == "2.31", f"first block answered {first.code_text}"
        second_token = token if same_token else os.urandom(4)
        last_options = _path(b"ps", *topic.encode().split(b"/")) + [(BLOCK1, block_option(1, False, 2))]
        last = client.exchange(encode(CON, PUT, client.message_id(), second_token, last_options, body[64:]))
        assert last.code_text == "2.04", f"last block answered {last.code_text}"
    message = upstream.expect(coap_perchd.topic(topic), timeout=10)
    assert message.payload == body
    upstream.expect_none(coap_perchd.topic(topic), within=1.0)
    assert coap_perchd.running, "perchd died"
    # And it still serves: a plain PUT after the exchange.
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        after = client.exchange(encode(CON, PUT, client.message_id(), os.urandom(2), _path(b"ps", b"raw", b"after"), b"ok"))
        assert after.code_text == "2.04"
    assert upstream.expect(coap_perchd.topic("raw/after")).payload == b"ok"


@pytest.mark.parametrize("segments, topic", [
    ([b"sp ace", b"x"], "sp ace/x"),
    ([b"umlaut-\xc3\xbc"], "umlaut-ü"),
    ([b"100%", b"r\xc3\xa9sum\xc3\xa9"], "100%/résumé"),
])
def test_uri_path_segments_are_topic_levels_as_sent(coap_perchd, upstream, segments, topic):
    """RFC 7252 §6.4: Uri-Path options carry decoded bytes; each is one topic
    level, joined with "/" — never percent-encoded again."""
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        answer = client.exchange(encode(CON, PUT, client.message_id(), os.urandom(2), _path(b"ps", *segments), b"v"))
    assert answer.code_text == "2.04", answer
    assert upstream.expect(coap_perchd.topic(topic)).payload == b"v"


@pytest.mark.parametrize("segments", [
    [b"w", b"#"], [b"w", b"+"], [b"hash#x"], [b"a+b"], [b"a/b"], [b"nul\x00"], [b"\xff\xfe"],
], ids=["hash-level", "plus-level", "hash-inside", "plus-inside", "slash", "nul", "not-utf8"])
def test_a_segment_that_cannot_be_a_topic_level_is_4_00(coap_perchd, upstream, segments):
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        answer = client.exchange(encode(CON, PUT, client.message_id(), os.urandom(2), _path(b"ps", *segments), b"v"))
    assert answer.code_text == "4.00", answer
    # Nothing went upstream: the next message under the mountpoint is a marker sent after it.
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        marker = client.exchange(encode(CON, PUT, client.message_id(), os.urandom(2), _path(b"ps", b"marker"), b"m"))
    assert marker.code_text == "2.04"
    upstream.expect(coap_perchd.topic("marker"))
    stray = [m for m in upstream.seen if m.topic.startswith(coap_perchd.mountpoint) and m.topic != coap_perchd.topic("marker")]
    assert not stray, stray


def test_a_put_on_an_observed_topic_is_one_notification(coap_perchd, upstream, aio):
    """Issue 20 item 3: one message, one notification — the broker's copy;
    perchd does not also notify from the local PUT."""
    topic = coap_perchd.topic("echo/once")
    observation = aio.observe(coap_perchd.coap_uri("ps/echo/once"))
    await_notifications(observation, upstream, topic, qos=1)
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        answer = client.exchange(encode(CON, PUT, client.message_id(), os.urandom(2),
                                        _path(b"ps", b"echo", b"once"), b"local"))
    assert answer.code_text == "2.04"
    assert observation.next().payload == b"local"
    upstream.publish(topic, b"marker", qos=1)
    assert observation.next().payload == b"marker", "a second notification of the PUT came before the marker"


def test_an_observer_that_answers_a_notification_with_rst_is_forgotten(coap_perchd, upstream):
    """Issue 20 item 4, RFC 7641 §3.6: RST to a (confirmable) notification
    ends the observation, in perchd's registry and its upstream subscription
    too, not only inside libcoap."""
    topic = coap_perchd.topic("rst/me")
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port), timeout=2.0) as client:
        token = os.urandom(4)
        first = client.exchange(encode(CON, GET, client.message_id(), token,
                                       [(OBSERVE, b"")] + _path(b"ps", b"rst", b"me")))
        assert first.code_text == "2.05" and first.option(OBSERVE) is not None, first
        coap_status(upstream, coap_perchd, lambda section: section.get("observers") == 1)
        # Probes from the broker at QoS 1 until one is notified (the upstream
        # subscription is granted after the 2.05): a CON notification.
        notification = None
        for number in range(20):
            upstream.publish(topic, f"probe {number}".encode(), qos=1)
            try:
                candidate = client.receive()
            except TimeoutError:
                continue
            if candidate.token == token and candidate.mtype == CON:
                notification = candidate
                break
        assert notification is not None, "no confirmable notification"
        client.send(encode(RST, 0, notification.message_id))
    section = coap_status(upstream, coap_perchd, lambda section: section.get("observers") == 0)
    assert section["observers"] == 0
    assert "CoAP observer gone" in coap_perchd.log_text()


def test_deregistering_a_filter_observation_is_answered_like_the_registration(coap_perchd, upstream):
    """Issue 20 item 5, RFC 7641 §3.6: GET with Observe=1 on a filter is a
    normal request, not 4.00."""
    path = _path(b"ps", b"rooms", b"+", b"temp")
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        token = os.urandom(4)
        first = client.exchange(encode(CON, GET, client.message_id(), token, [(OBSERVE, b"")] + path))
        assert first.code_text == "2.05", first
        last = client.exchange(encode(CON, GET, client.message_id(), token, [(OBSERVE, b"\x01")] + path))
        assert last.code_text == "2.05", last


def test_well_known_core_lists_ps_and_aliases_only(start_perchd, upstream):
    """Issue 20 item 5: an observed topic's resource is not listed."""
    perchd = start_perchd({"coap": {"resources": [{"path": "t", "topic": "sensors/t"}]}}, coap=True)
    with RawCoAP((perchd.host, perchd.coap_port)) as client:
        observed = client.exchange(encode(CON, GET, client.message_id(), os.urandom(4),
                                          [(OBSERVE, b"")] + _path(b"ps", b"listed", b"not")))
        assert observed.code_text == "2.05"
        core = client.exchange(encode(CON, GET, client.message_id(), os.urandom(2), _path(b".well-known", b"core")))
        assert core.code_text == "2.05"
        links = core.payload.decode().split(",")
        assert [link.split(";")[0] for link in links] == ["</ps>", "</t>"], links
        filtered = client.exchange(encode(CON, GET, client.message_id(), os.urandom(2),
                                          _path(b".well-known", b"core") + [(URI_QUERY, b"rt=core.ps")]))
        assert filtered.payload.decode().split(";")[0] == "</ps>", filtered


def test_a_retained_value_already_answered_is_not_notified_again(coap_perchd, upstream, aio):
    """Issue 20 item 5: the registration's 2.05 carries the last value; the
    broker's replay of that same retained message (on perchd's new
    subscription) is not a second notification of it."""
    topic = coap_perchd.topic("kept/value")
    assert request("coap-client", aio, "put", coap_perchd.coap_uri("ps/kept/value?qos=1&retain=true"), b"kept").code == "2.04"
    upstream.expect(topic, b"kept")
    observation = aio.observe(coap_perchd.coap_uri("ps/kept/value"))
    assert observation.first.payload == b"kept"
    # Probe until perchd's subscription is live; the replay, if any, came before the probes.
    await_notifications(observation, upstream, coap_perchd.topic("kept/value"), qos=1)
    upstream.publish(topic, b"marker", qos=1)
    assert observation.next().payload == b"marker"


def test_libcoap_lines_go_through_perchds_log_rate_limited(coap_perchd, upstream):
    """Issue 20 item 5: libcoap's own lines come out in perchd's log (not
    libcoap's stderr format), at debug for a malformed datagram, once per
    minute per kind."""
    mark = coap_perchd.log.count()
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        for _ in range(5):
            client.send(b"\x40\x01\x00\x01\xff")  # a payload marker with no payload: malformed (RFC 7252 §3)
        answer = client.exchange(encode(CON, PUT, client.message_id(), os.urandom(2), _path(b"ps", b"after"), b"ok"))
        assert answer.code_text == "2.04"
    coap_perchd.log.wait_for(r"libcoap: discard malformed PDU", timeout=5, start=mark)
    lines = coap_perchd.log_text().splitlines()
    malformed = [line for line in lines if "discard malformed PDU" in line]
    assert len(malformed) == 1, malformed
    assert malformed[0].startswith("DEBUG coap: libcoap:"), malformed


def test_refusals_and_observations_have_a_debug_line_per_peer(coap_perchd, upstream):
    """Issue 20 item 9: at debug, a 4.xx answer and an observe registration
    each get one line naming the peer; a flood is held to five per peer."""
    mark = coap_perchd.log.count()
    with RawCoAP((coap_perchd.host, coap_perchd.coap_port)) as client:
        for _ in range(8):
            answer = client.exchange(encode(CON, PUT, client.message_id(), os.urandom(2), _path(b"nowhere"), b"x"))
            assert answer.code_text == "4.04"
        observed = client.exchange(encode(CON, GET, client.message_id(), os.urandom(4),
                                          [(OBSERVE, b"")] + _path(b"ps", b"logged")))
        assert observed.code_text == "2.05"
        port = client.socket.getsockname()[1]
    line = coap_perchd.log.wait_for(r"CoAP request refused", timeout=5, start=mark)
    assert f"peer=127.0.0.1:{port}" in line and "code=4.04" in line and "path=/nowhere" in line, line
    refused = [l for l in coap_perchd.log_text().splitlines() if "CoAP request refused" in l]
    assert len(refused) == 5, refused
