#!/usr/bin/env bash
# The Perch demo: a local Mosquitto with TLS, perchd connected to it, and a
# subscriber that prints everything arriving upstream under perch/# and site/#,
# and two simulated sensors, one speaking MQTT-SN and one CoAP (libcoap's own
# coap-client), whose readings show up in those upstream> lines; then GPIO on
# perchd's simulated chip: a relay switched and pulsed with mosquitto_pub and a
# button pressed through the chip's FIFO, seen as gpio/…/state lines.
# Everything runs on loopback and is stopped at the end. Usage: make demo
# (DEMO_SECONDS=N to run longer).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${DEMO_SECONDS:-20}"

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

bash .ci/deps
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"

say "building perchd"
swift build --product perchd 2>&1 | tail -1
perchd="$(swift build --show-bin-path)/perchd"

work="$(mktemp -d /tmp/perch-demo.XXXXXX)"
# Mosquitto started as root drops to its own user: let it read the throw-away files.
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

say "making a throw-away CA and a broker certificate in $work"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=Perch demo CA" \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
  -days 1 -extfile "$work/san.ext" -out "$work/server.crt" 2>/dev/null
chmod 644 "$work"/*.crt "$work"/*.key

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
cafile $work/ca.crt
certfile $work/server.crt
keyfile $work/server.key
persistence false
log_dest none
CONF
say "starting Mosquitto with TLS on 127.0.0.1:$port"
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
"$mosquitto_bin" -c "$work/mosquitto.conf" &
pids+=($!)
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

snport="$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
coapport="$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
sed -e "s#@PORT@#$port#g" -e "s#@SNPORT@#$snport#g" -e "s#@COAPPORT@#$coapport#g" -e "s#@WORK@#$work#g" \
  etc/perch.demo.yaml > "$work/perch.yaml"
say "subscribing upstream to perch/# (what the cloud sees)"
stdbuf -oL mosquitto_sub -h 127.0.0.1 -p "$port" --cafile "$work/ca.crt" -t 'perch/#' -t 'site/#' \
  -F '  upstream> %t %p' &
pids+=($!)

say "starting perchd ($perchd) for ${seconds}s"
"$perchd" --config "$work/perch.yaml" 2>&1 | tee "$work/perchd.log" | stdbuf -oL sed -e 's/^/  perchd> /' &
pids+=($!)
for _ in $(seq 1 100); do
  grep -q "MQTT-SN listening" "$work/perchd.log" 2>/dev/null && break
  sleep 0.1
done

say "a simulated MQTT-SN sensor on udp 127.0.0.1:$snport (etc/demo/mqttsn-sensor.py)"
python3 etc/demo/mqttsn-sensor.py 127.0.0.1 "$snport" "$((seconds > 5 ? seconds - 5 : 1))" &
pids+=($!)

say "a simulated CoAP sensor on udp 127.0.0.1:$coapport: a confirmable PUT every 3 s (coap-client-openssl)"
(
  end=$((SECONDS + (seconds > 5 ? seconds - 5 : 1)))
  n=0
  while [ "$SECONDS" -lt "$end" ]; do
    n=$((n + 1))
    # 2.04 comes only once the broker or the spool has the reading (SPEC §5).
    # -v 7 prints every PDU; the last response code is the answer.
    code="$(timeout 10 coap-client-openssl -v 7 -m put -t 50 -B 5 -e "{\"soil\": $((30 + n % 7))}" \
      "coap://127.0.0.1:$coapport/ps/garden/soil?qos=1" 2>&1 | grep -o ' c:[245]\.[0-9][0-9]' | tail -1 || true)"
    if [ -n "$code" ]; then answer="answered ${code# c:}"; else answer="no answer"; fi
    printf '  coap-sensor> PUT /ps/garden/soil #%d %s\n' "$n" "$answer"
    sleep 3
  done
) &
pids+=($!)

# GPIO (Docs/gpio.md): commands on perch/demo-pi/gpio/{pin}/set; perchd reads
# each line back and publishes it retained on …/state. The simulated chip's
# inputs are driven through a FIFO in the state directory, one "<line> <level>"
# per write, the level electrical (the button pulls GPIO27 low: ON).
say "GPIO on the simulated chip: relay1 on GPIO17 (commands), button on GPIO27 (FIFO)"
(
  gpio_set() {
    printf '  gpio> mosquitto_pub -t perch/demo-pi/gpio/%s/set -m %s\n' "$1" "$2"
    mosquitto_pub -h 127.0.0.1 -p "$port" --cafile "$work/ca.crt" -q 1 \
      -t "perch/demo-pi/gpio/$1/set" -m "$2" || true
  }
  button() {
    local fifo="$work/state/gpio-simulated"
    if [ ! -p "$fifo" ]; then
      printf '  gpio> no FIFO at %s: this perchd runs no simulated chip\n' "$fifo"
      return
    fi
    printf '  gpio> echo "GPIO27 %s" > %s (%s)\n' "$1" "$fifo" "$2"
    # perchd holds the FIFO open, so this does not block; timeout in case it went away.
    timeout 5 bash -c 'echo "GPIO27 $1" > "$2"' _ "$1" "$fifo" || true
  }
  sleep 2
  gpio_set relay1 ON
  sleep 2
  gpio_set relay1 '{"pulse_ms": 1500}'
  sleep 3
  button 0 "pressed" && [ -p "$work/state/gpio-simulated" ] || exit 0
  sleep 1
  button 1 "released"
) &
pids+=($!)
sleep "$seconds"

say "kill -9 perchd: the broker publishes its Last Will"
pkill -9 -f "$perchd --config $work/perch.yaml" || true
sleep 2
say "done"
