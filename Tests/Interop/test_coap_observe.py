"""GET and Observe on /ps/{topic} (SPEC §4, RFC 7641): 4.04 before anything
was seen, the last value after a message from the broker, a notification to
aiocoap for a message published at the broker, and the upstream subscription
released when the last observer deregisters."""

import pytest

from perch_interop.coap import CLIENTS, JSON, await_notifications, coap_status, request
from perch_interop.coap_client import CoapClient


@pytest.mark.parametrize("client", CLIENTS)
def test_get_is_4_04_before_and_the_last_value_after_a_message_from_the_broker(coap_perchd, upstream, aio,
                                                                               client):
    path = "ps/weather/wind"
    topic = coap_perchd.topic("weather/wind")
    assert request(client, aio, "get", coap_perchd.coap_uri(path)).code == "4.04"

    # perchd hears the topic upstream only while someone observes it.
    observation = aio.observe(coap_perchd.coap_uri(path))
    assert observation.first.code == "2.05" and observation.first.observe is not None
    await_notifications(observation, upstream, topic)

    upstream.publish(topic, b'{"kn": 12}', qos=1, content_type="application/json")
    notification = observation.next()
    assert (notification.payload, notification.content_format) == (b'{"kn": 12}', JSON)

    answer = request(client, aio, "get", coap_perchd.coap_uri(path))
    assert (answer.code, answer.payload, answer.content_format) == ("2.05", b'{"kn": 12}', JSON)


def test_get_answers_what_a_sensor_put_last(coap_perchd, upstream, aio):
    for value in (b"1", b"2"):
        assert request("coap-client", aio, "put", coap_perchd.coap_uri("ps/counter"), value).code == "2.04"
    upstream.expect(coap_perchd.topic("counter"), b"2")
    answer = request("aiocoap", aio, "get", coap_perchd.coap_uri("ps/counter"))
    assert (answer.code, answer.payload) == ("2.05", b"2")


@pytest.mark.parametrize("qos", [0, 1])
def test_aiocoap_is_notified_of_a_message_published_at_the_broker(coap_perchd, upstream, aio, qos):
    topic = coap_perchd.topic("alerts/frost")
    observation = aio.observe(coap_perchd.coap_uri("ps/alerts/frost"))
    await_notifications(observation, upstream, topic)
    for number in range(3):
        payload = f"frost {number} at qos {qos}".encode()
        upstream.publish(topic, payload, qos=qos)
        assert observation.next().payload == payload
    assert coap_status(upstream, coap_perchd, lambda section: section.get("observers") == 1)["observers"] == 1


def test_a_topic_filter_is_observed_with_its_wildcard_uri_encoded(coap_perchd, upstream, aio):
    # SPEC §4: `+` in the path, URI-encoded; aiocoap sends it as one Uri-Path "+".
    observation = aio.observe(coap_perchd.coap_uri("ps/rooms/%2B/temp"))
    assert observation.first.code == "2.05" and observation.first.observe is not None
    await_notifications(observation, upstream, coap_perchd.topic("rooms/probe/temp"))
    upstream.publish(coap_perchd.topic("rooms/kitchen/humidity"), b"not this one", qos=1)
    for room in ("kitchen", "cellar"):
        upstream.publish(coap_perchd.topic(f"rooms/{room}/temp"), f"{room} 19".encode(), qos=1)
        assert observation.next().payload == f"{room} 19".encode()


def test_cancelling_the_last_observation_releases_the_upstream_subscription(coap_perchd, upstream, aio):
    """coap-client deregisters when its `-s` time (6 s) is up (GET with Observe=1,
    RFC 7641 §3.6). Afterwards `coap.observers` is 0 and perchd no longer
    hears the topic: a message published at the broker then does not become
    the topic's last value. The barrier that shows it would have arrived is a
    second observed topic, published to after it by the same publisher (the
    broker keeps one publisher's order towards one subscriber)."""
    path, topic = "ps/released", coap_perchd.topic("released")
    observer = CoapClient(coap_perchd.coap_uri(path), observe_s=6, wait_s=8, limit_s=20)
    try:
        coap_status(upstream, coap_perchd, lambda section: section.get("observers") == 1)
        # The subscription is in place once a probe becomes the last value.
        heard = None
        for number in range(1, 41):
            upstream.publish(topic, f"probe {number}".encode(), qos=1)
            heard = request("aiocoap", aio, "get", coap_perchd.coap_uri(path))
            if heard.code == "2.05" and heard.payload.startswith(b"probe "):
                break
        assert heard is not None and heard.payload.startswith(b"probe "), f"perchd never heard {topic}: {heard}"
    finally:
        run = observer.finish()
    assert run.final.code == "2.05" and any(pdu.option("Observe") == "1" for pdu in run.pdus if pdu.is_request), \
        f"coap-client did not deregister:\n{run.output}"
    coap_status(upstream, coap_perchd, lambda section: section.get("observers") == 0)
    last_value = request("aiocoap", aio, "get", coap_perchd.coap_uri(path)).payload

    upstream.publish(topic, b"after the cancel", qos=1)
    barrier = aio.observe(coap_perchd.coap_uri("ps/barrier"))
    # QoS 1 like the message before it: one queue at the broker, kept in order.
    await_notifications(barrier, upstream, coap_perchd.topic("barrier"), qos=1)

    answer = request("aiocoap", aio, "get", coap_perchd.coap_uri(path))
    assert answer.payload == last_value, "perchd still hears the topic after its last observer left"


def test_notifications_are_non_for_qos_0_and_con_for_qos_1(coap_perchd, upstream, aio):
    """SPEC §4 / issue 5: the notification's type follows the message's QoS,
    as coap-client's trace shows it. aiocoap observes the same topic, and its
    notifications say when each message has been sent out."""
    path, topic = "ps/typed/notes", coap_perchd.topic("typed/notes")
    observer = CoapClient(coap_perchd.coap_uri(path), observe_s=8, wait_s=10, limit_s=20)
    try:
        coap_status(upstream, coap_perchd, lambda section: section.get("observers") == 1)
        events = aio.observe(coap_perchd.coap_uri(path))
        await_notifications(events, upstream, topic)
        for qos in (0, 1):
            upstream.publish(topic, f"at qos {qos}".encode(), qos=qos)
            assert events.next().payload == f"at qos {qos}".encode()
    finally:
        run = observer.finish()
    # Notifications only: coap-client 4.3.4 also deregisters when it ends, and
    # that GET's piggybacked ACK carries the last value again.
    notified = {pdu.line.split(" :: ", 1)[1]: pdu.type for pdu in run.responses
                if " :: " in pdu.line and pdu.type in ("CON", "NON")}
    assert notified.get("'at qos 0'") == "NON", run.output
    assert notified.get("'at qos 1'") == "CON", run.output
