"""Block-wise transfer (RFC 7959) through perchd: a 4 KiB PUT in blocks
arrives at the broker whole, and a large last value is fetched in blocks with
its Content-Format, by both clients."""

import pytest

from perch_interop.coap import CLIENTS, JSON, TEXT_PLAIN, await_notifications, request
from perch_interop.coap_client import coap_client

# 4 KiB that show a lost, repeated or reordered block: every 16-octet line is numbered.
PAYLOAD = b"".join(f"line {number:04d} .....\n".encode() for number in range(256))
assert len(PAYLOAD) == 4096


@pytest.mark.parametrize("client", CLIENTS)
def test_a_4_kib_put_in_blocks_arrives_whole(coap_perchd, upstream, aio, client):
    # coap-client: 64-octet blocks (Block1, 64 of them); aiocoap picks its own size.
    response = request(client, aio, "put", coap_perchd.coap_uri("ps/firmware/log?qos=1"), PAYLOAD,
                       content_format=TEXT_PLAIN, block="64")
    assert response.code == "2.04"
    message = upstream.expect(coap_perchd.topic("firmware/log"), timeout=15)
    assert message.payload == PAYLOAD
    assert message.qos == 1


def test_coap_client_sends_64_octet_blocks(coap_perchd, upstream):
    run = coap_client(coap_perchd.coap_uri("ps/blocks"), "put", PAYLOAD, block="64")
    # Each block but the last is acknowledged 2.31 Continue (RFC 7959 §2.9.1).
    assert run.codes == ["2.31"] * 63 + ["2.04"], run.codes
    assert upstream.expect(coap_perchd.topic("blocks"), timeout=15).payload == PAYLOAD


@pytest.mark.parametrize("client", CLIENTS)
def test_a_large_last_value_is_fetched_in_blocks_with_its_content_format(coap_perchd, upstream, aio, client):
    assert request("aiocoap", aio, "put", coap_perchd.coap_uri("ps/big"), PAYLOAD,
                   content_format=TEXT_PLAIN).code == "2.04"
    upstream.expect(coap_perchd.topic("big"), PAYLOAD, timeout=15)
    answer = request(client, aio, "get", coap_perchd.coap_uri("ps/big"), block="64")
    assert (answer.code, answer.payload, answer.content_format) == ("2.05", PAYLOAD, TEXT_PLAIN)


def test_coap_client_fetches_a_large_answer_block_by_block(coap_perchd, upstream, aio):
    assert request("aiocoap", aio, "put", coap_perchd.coap_uri("ps/bigjson"), PAYLOAD,
                   content_format=JSON).code == "2.04"
    upstream.expect(coap_perchd.topic("bigjson"), PAYLOAD, timeout=15)
    run = coap_client(coap_perchd.coap_uri("ps/bigjson"), "get", block="64")
    assert len(run.responses) > 1 and all(code == "2.05" for code in run.codes), run.codes
    assert all(pdu.option("Block2") is not None for pdu in run.responses)
    assert run.payload == PAYLOAD


def test_a_large_message_from_the_broker_is_notified_whole(coap_perchd, upstream, aio):
    observation = aio.observe(coap_perchd.coap_uri("ps/bulk"))
    await_notifications(observation, upstream, coap_perchd.topic("bulk"))
    upstream.publish(coap_perchd.topic("bulk"), PAYLOAD, qos=1, content_type="application/json")
    notification = observation.next(timeout=15)
    assert (notification.payload, notification.content_format) == (PAYLOAD, JSON)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_body_above_64_kib_is_answered_4_13_and_publishes_nothing(coap_perchd, upstream, aio, client):
    topic = "too/large"
    too_large = request(client, aio, "put", coap_perchd.coap_uri(f"ps/{topic}"), PAYLOAD * 17, block="1024")
    assert too_large.code == "4.13"
    # Sent after it by the same client: had the large one been published, it would arrive first.
    assert request(client, aio, "put", coap_perchd.coap_uri(f"ps/{topic}"), b"small").code == "2.04"
    assert upstream.expect(coap_perchd.topic(topic)).payload == b"small"
