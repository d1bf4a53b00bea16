"""A confirmable CoAP PUT while the broker is down (SPEC §5, issue 5) is
answered 2.04 only once the spool has it on disk: perchd killed with SIGKILL
right after that 2.04, and started again, still delivers it when the broker
is back. coap-client shows the answer is a separate one (an empty ACK first,
RFC 7252 §5.2.2)."""

import pytest

from perch_interop.coap import CLIENTS, request
from perch_interop.coap_client import coap_client
from perch_interop.spool import Outage


@pytest.mark.parametrize("client", CLIENTS)
def test_a_confirmable_put_during_an_outage_survives_kill_9_after_its_2_04(
        outage_broker, durable_upstream, start_spooling_perchd, aio, client):
    perchd = start_spooling_perchd(coap=True)
    outage = Outage(perchd, outage_broker).begin()

    payload = f"kept through kill -9 ({client})".encode()
    response = request(client, aio, "put", perchd.coap_uri("ps/outage/kept?qos=1"), payload)
    assert response.code == "2.04"

    perchd.crash_and_restart(wait_for_uplink=False)
    outage.end()
    message = durable_upstream.expect(perchd.topic("outage/kept"), payload, timeout=20)
    assert message.qos == 1


def test_the_2_04_during_an_outage_is_a_separate_response_after_an_empty_ack(
        outage_broker, durable_upstream, start_spooling_perchd):
    perchd = start_spooling_perchd(coap=True)
    outage = Outage(perchd, outage_broker).begin()
    # QoS 1: the broker queues no QoS 0 message for the watcher's session
    # while it reconnects (Mosquitto's queue_qos0_messages is off), and
    # perchd may deliver before the watcher is back.
    run = coap_client(perchd.coap_uri("ps/outage/separate?qos=1"), "put", b"separate")
    kinds = [(pdu.type, pdu.code) for pdu in run.pdus if not pdu.is_request]
    # The empty ACK the server sent, the CON 2.04 it sent later, coap-client's own empty ACK of it.
    assert ("ACK", "0.00") in kinds and ("CON", "2.04") in kinds, run.output
    assert kinds.index(("ACK", "0.00")) < kinds.index(("CON", "2.04")), kinds
    outage.end()
    durable_upstream.expect(perchd.topic("outage/separate"), b"separate", timeout=20)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_full_spool_that_rejects_answers_5_03_with_max_age(
        outage_broker, durable_upstream, start_spooling_perchd, aio, client):
    perchd = start_spooling_perchd({"spool": {"max_bytes": "64KiB", "overflow": "reject_new"}}, coap=True)
    outage = Outage(perchd, outage_broker).begin()
    # 4 KiB each: the 64 KiB spool is full after about 16 (bounded at 40).
    answers = []
    trace = ""  # coap-client's PDU trace of the last request, for the failure message
    for number in range(40):
        payload = f"{number:04d}".encode() * 1024
        if client == "coap-client":
            run = coap_client(perchd.coap_uri("ps/full?qos=1"), "put", payload, block="1024")
            trace = run.output
            answers.append(run.final)
        else:
            answers.append(request(client, aio, "put", perchd.coap_uri("ps/full?qos=1"), payload))
        if answers[-1].code != "2.04":
            break
    accepted = [answer for answer in answers if answer.code == "2.04"]
    assert 8 <= len(accepted) < len(answers), [answer.code for answer in answers]
    assert answers[-1].code == "5.03", f"{[answer.code for answer in answers]}\n{trace}\n{perchd.log_text()[-4000:]}"
    if client == "coap-client":
        run = coap_client(perchd.coap_uri("ps/full?qos=1"), "put", b"x" * 4096, block="1024")
        assert run.final.code == "5.03" and run.final.option("Max-Age") is not None, run.output

    outage.end()
    for number in range(len(accepted)):
        durable_upstream.expect(perchd.topic("full"), f"{number:04d}".encode() * 1024, timeout=20)
