"""CoAP over DTLS with pre-shared keys (SPEC §4, coaps://) with coap-client:
the right identity and key publish; a wrong key and an unknown identity are
refused, and nothing of theirs reaches the broker. aiocoap is not used here
(its DTLS needs DTLSSocket). A refused handshake makes coap-client wait, so
those runs are short under timeout(1)."""

from perch_interop.coap_client import coap_client

KEYS = {"node-7": b"greenhouse-node-7-key", "node-8": b"another-key-for-8"}


def test_the_right_key_publishes_and_a_wrong_key_or_unknown_identity_does_not(start_perchd, upstream):
    perchd = start_perchd(dtls_keys=KEYS)
    topic = perchd.topic("secure/temp")

    wrong_key = coap_client(perchd.coaps_uri("ps/secure/temp?qos=1"), "put", b"wrong key",
                            psk=("node-7", b"not-the-key"), wait_s=3, limit_s=6)
    # The handshake never completes (DTLS drops records that fail their MAC):
    # no response of any kind.
    assert wrong_key.responses == [], wrong_key.output
    unknown = coap_client(perchd.coaps_uri("ps/secure/temp?qos=1"), "put", b"unknown identity",
                          psk=("node-9", KEYS["node-7"]), wait_s=3, limit_s=6)
    assert unknown.responses == [], unknown.output
    # OpenSSL 3.0 says "unknown psk identity", 3.5 "unknown PSK identity".
    assert "unknown psk identity" in unknown.output.lower(), unknown.output

    accepted = coap_client(perchd.coaps_uri("ps/secure/temp?qos=1"), "put", b"from node-7",
                           psk=("node-7", KEYS["node-7"]))
    assert accepted.final.code == "2.04", accepted.output
    # The refused requests ran to their end before this one was sent: had one
    # been published, it would have reached the watcher first.
    first = upstream.expect(topic)
    assert (first.payload, first.qos) == (b"from node-7", 1)


def test_the_psk_identity_is_the_client_id_in_the_mountpoint(start_perchd, upstream):
    # SPEC §4: the PSK identity is the client id, `${clientid}` in the mountpoint (SPEC §1).
    perchd = start_perchd({"uplink": {"mountpoint": "site/${gateway}/${clientid}/"}}, dtls_keys=KEYS)
    for identity, key in KEYS.items():
        run = coap_client(perchd.coaps_uri("ps/door?qos=1"), "put", identity.encode(), psk=(identity, key))
        assert run.final.code == "2.04", run.output
        assert upstream.expect(perchd.topic(f"{identity}/door"), identity.encode()).qos == 1
