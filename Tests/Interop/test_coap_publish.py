"""CoAP PUT and POST on /ps/{topic} publish to `{mountpoint}{topic}` (SPEC §4),
with both clients, confirmable and not; the query's qos and retain, a bad
query's 4.00, Content-Format as the MQTT 5 content type, and the configured
aliases in /.well-known/core."""

import pytest

from perch_interop.coap import CBOR, CLIENTS, JSON, LINK_FORMAT, TEXT_PLAIN, request

# RFC 7252 §12.3 numbers → the media types perchd sends as MQTT 5.0 Content
# Type (§3.3.2.3.9); text/plain's is defined with its charset.
MEDIA_TYPES = {TEXT_PLAIN: "text/plain;charset=utf-8", JSON: "application/json", CBOR: "application/cbor"}


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("confirmable, query, qos, retain", [
    (True, "?qos=1&retain=true", 1, True),
    (False, "", 0, False),
    (True, "?qos=2", 2, False),
], ids=["con-qos1-retained", "non-default", "con-qos2"])
def test_put_publishes_with_the_query_qos_and_retain(coap_perchd, upstream, aio, client, confirmable, query,
                                                      qos, retain):
    payload = f"21.5 from {client}".encode()
    response = request(client, aio, "put", coap_perchd.coap_uri(f"ps/greenhouse/temp{query}"), payload,
                       confirmable=confirmable)
    assert response.code == "2.04"
    message = upstream.expect(coap_perchd.topic("greenhouse/temp"), payload)
    assert (message.qos, message.retain) == (qos, retain)


@pytest.mark.parametrize("client", CLIENTS)
def test_post_publishes_too(coap_perchd, upstream, aio, client):
    response = request(client, aio, "post", coap_perchd.coap_uri("ps/door/state?qos=1"), b"open")
    assert response.code == "2.04"
    message = upstream.expect(coap_perchd.topic("door/state"), b"open")
    assert (message.qos, message.retain) == (1, False)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_bad_query_is_answered_4_00_and_publishes_nothing(coap_perchd, upstream, aio, client):
    topic = "bad/query"
    for query in ("qos=3", "retain=maybe", "colour=red", "qos=1&qos=2"):
        response = request(client, aio, "put", coap_perchd.coap_uri(f"ps/{topic}?{query}"), query.encode())
        assert response.code == "4.00", query
    # A good request behind them: if a refused one had been published, it
    # would reach the watcher first (one sender, one topic, in order).
    assert request(client, aio, "put", coap_perchd.coap_uri(f"ps/{topic}"), b"good").code == "2.04"
    first = upstream.expect(coap_perchd.topic(topic))
    assert first.payload == b"good"


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("content_format", [TEXT_PLAIN, JSON, CBOR])
def test_content_format_becomes_the_mqtt_5_content_type(coap_perchd, upstream, aio, client, content_format):
    payload = b"\xa1\x61t\x15" if content_format == CBOR else b'{"t": 21}'
    response = request(client, aio, "put", coap_perchd.coap_uri("ps/typed"), payload,
                       content_format=content_format)
    assert response.code == "2.04"
    message = upstream.expect(coap_perchd.topic("typed"), payload)
    assert message.content_type == MEDIA_TYPES[content_format]


ALIASES = {"coap": {"resources": [
    {"path": "t", "topic": "sensors/node-7/temperature"},
    {"path": "h", "topic": "sensors/node-7/humidity"},
]}}


@pytest.mark.perchd_config(ALIASES)
@pytest.mark.parametrize("client", CLIENTS)
def test_well_known_core_lists_the_aliases_and_an_alias_publishes_to_its_topic(coap_perchd, upstream, aio,
                                                                                 client):
    core = request(client, aio, "get", coap_perchd.coap_uri(".well-known/core"))
    assert (core.code, core.content_format) == ("2.05", LINK_FORMAT)
    links = core.payload.decode().split(",")
    targets = {link.split(";")[0] for link in links}
    assert {"</t>", "</h>", "</ps>"} <= targets, links

    assert request(client, aio, "put", coap_perchd.coap_uri("t?qos=1"), b"19.0").code == "2.04"
    message = upstream.expect(coap_perchd.topic("sensors/node-7/temperature"), b"19.0")
    assert message.qos == 1


@pytest.mark.parametrize("client", CLIENTS)
def test_delete_clears_the_retained_message_upstream(coap_perchd, upstream, aio, client):
    uri = coap_perchd.coap_uri("ps/valve/position")
    assert request(client, aio, "put", uri + "?qos=1&retain=true", b"open").code == "2.04"
    upstream.expect(coap_perchd.topic("valve/position"), b"open")
    assert request(client, aio, "delete", uri + "?qos=1").code == "2.02"
    # An empty retained publish clears it (MQTT 5.0 §3.3.1.3).
    cleared = upstream.expect(coap_perchd.topic("valve/position"))
    assert (cleared.payload, cleared.retain, cleared.qos) == (b"", True, 1)
