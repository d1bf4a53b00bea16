"""The interoperability harness: a real Mosquitto with TLS, the real perchd, an
MQTT-SN sensor whose packets scapy encodes and decodes, and an upstream MQTT
watcher on paho-mqtt. Nothing here uses Perch's own codecs."""
