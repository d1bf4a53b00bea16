"""Exchanges no library client sends, as raw datagrams (perch_interop/raw_coap.py,
written from RFC 7252 §3): issue 20's CoAP defects."""

import os

import pytest

from perch_interop.raw_coap import (BLOCK1, CON, PUT, SIZE1, URI_PATH, RawCoAP, block_option, encode,
                                    uint_option)


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
