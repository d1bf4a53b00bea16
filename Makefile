# Perch — common tasks. `make help` lists them.

SHELL        := /bin/bash
.SHELLFLAGS  := -o pipefail -c

SWIFT        ?= swift
BUILD_DIR    ?= .build
CONFIG       ?= etc/perch.yaml
PREFIX       ?= /usr/local
DESTDIR      ?=
# Seconds per benchmark run and runs per case (the median is reported).
BENCH_SECONDS ?= 1
BENCH_RUNS    ?= 5
# Seconds of publishing per MQTT-SN case (the grid has 50 cases).
BENCH_MQTTSN_SECONDS ?= 2
# Seconds of sending per CoAP case (12 cases).
BENCH_COAP_SECONDS ?= 2

.PHONY: help deps build release test test-trixie interop fuzz soak check-config demo bench bench-mqttsn bench-coap bench-spool install uninstall deb clean

help:
	@echo "make build         debug build of perchd (fails on any warning in Perch's code)"
	@echo "make release       optimised build: $(BUILD_DIR)/release/perchd"
	@echo "make test          build everything and run the whole test suite (what CI runs)"
	@echo "make test-trixie   the whole make test again in a Debian 13 (trixie) chroot: libgpiod 2, libcoap 4.3.4 (SWIFT=debian: Debian's swiftlang 6.0.3; PERCH_SWIFTPM_MIRROR)"
	@echo "make interop       MQTT-SN interoperability suite: perchd + Mosquitto + independent Python clients"
	@echo "make fuzz          libFuzzer + ASan builds of every parser and the CoAP engine, FUZZ_SECONDS (default 60) each, FUZZ_JOBS at a time; summary in $(BUILD_DIR)/fuzz/summary.md"
	@echo "make soak          release perchd under steady MQTT-SN load for SOAK_SECONDS (default 3600): RSS, CPU, latency every 10 s; $(BUILD_DIR)/soak/"
	@echo "make check-config  validate CONFIG (default etc/perch.yaml) and print it with defaults"
	@echo "make demo          run a local Mosquitto with TLS and perchd against it, and show the status topic"
	@echo "make bench         release builds, then codec, uplink, footprint, MQTT-SN and CoAP benchmarks (BENCH_SECONDS, BENCH_RUNS)"
	@echo "make bench-mqttsn  release builds, then MQTT-SN through perchd against direct MQTT (BENCH_MQTTSN_SECONDS)"
	@echo "make bench-coap    release builds, then CoAP NON and CON PUT through perchd to Mosquitto (BENCH_COAP_SECONDS)"
	@echo "make bench-spool   release builds, then the spool's disk tier (BENCH_SPOOL_SECONDS, BENCH_SPOOL_DIR) and the spool through perchd: outage, drain, online writes (BENCH_SPOOL_MESSAGES)"
	@echo "make install       stripped release perchd, the systemd unit, a starting /etc/perch/perch.yaml, docs (PREFIX=$(PREFIX), DESTDIR)"
	@echo "make uninstall     remove what make install put under PREFIX (the configuration and the state stay)"
	@echo "make deb           a .deb for this machine's architecture in $(BUILD_DIR)/ (dpkg-deb; Swift runtime linked in)"
	@echo "make deb ARCH=arm64  the .deb for Raspberry Pi OS (Debian 13, arm64): cross built with Debian's swiftlang in the trixie chroot, Depends on libswiftlang"
	@echo "make smoke-arm64   the arm64 perchd under qemu-aarch64-static: --version, check, one MQTT-SN and one CoAP message through a local Mosquitto"
	@echo "make clean         remove build products"

# The Debian packages Perch needs (installed only when missing).
deps:
	bash .ci/deps

# Swift 6 language mode with strict concurrency is on for every target; a
# warning in Perch's own sources fails the build (dependencies are not judged).
build:
	@mkdir -p $(BUILD_DIR)
	$(SWIFT) build --build-tests 2>&1 | tee $(BUILD_DIR)/build.log
	@! grep -E '^/.*/(Sources|Tests)/.*: warning:' $(BUILD_DIR)/build.log | grep -v '/.build/' \
		|| { echo "error: warnings in Perch's code (see above)"; exit 1; }

release:
	$(SWIFT) build -c release --product perchd

test: deps build
	$(BUILD_DIR)/debug/perchd check --config etc/perch.yaml > /dev/null
	$(SWIFT) test --skip-build
	$(INTEROP_PYTEST)

# Debian 13 "trixie", what Raspberry Pi OS is today (issue 21): the chroot is
# made by debootstrap and cached in /var/cache/perch (PERCH_TRIXIE_ROOT). With
# the default, this machine's Swift toolchain is used there; SWIFT=debian
# uses Debian's own swiftlang 6.0.3, whose SwiftPM needs older releases of the
# Swift packages: PERCH_SWIFTPM_MIRROR names a directory of OWNER/NAME.git
# repositories to take them from where GitHub is out of reach
# (Docs/operations.md). Needs root.
test-trixie:
	bash .ci/trixie test $(if $(filter debian,$(SWIFT)),debian,host)

# Tests/Interop: perchd against a real Mosquitto, driven by MQTT-SN clients
# nobody here wrote (scapy's layer, mqtt-sn-12) and watched with paho-mqtt.
# .ci/deps keeps the virtualenv in step with Tests/Interop/requirements.txt.
INTEROP_VENV   ?= $(BUILD_DIR)/interop-venv
INTEROP_PYTEST  = $(INTEROP_VENV)/bin/python -m pytest -c Tests/Interop/pytest.ini \
                  --rootdir Tests/Interop --perchd $(BUILD_DIR)/debug/perchd $(INTEROP_ARGS) Tests/Interop

interop: deps build
	$(INTEROP_PYTEST)

# Tests/Fuzz: a separate package (SwiftPM cannot build fuzzers beside ordinary
# targets); Docs/reliability.md has the figures of the long runs.
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 2
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) SWIFT=$(SWIFT) bash Tests/Fuzz/run.sh

# A benchmark, not a CI job (Docs/reliability.md). The default rate is half the
# best lossless QoS 1 rate with 100 clients in Docs/benchmarks.md. Fails unless
# nothing is lost or reordered and the RSS line is flat.
SOAK_SECONDS  ?= 3600
SOAK_RATE     ?= 13000
SOAK_CLIENTS  ?= 100
SOAK_QOS      ?= 1
SOAK_INTERVAL ?= 10
# Seconds at the start left out of the RSS trend.
SOAK_WARM_UP  ?= 60
soak:
	$(SWIFT) build -c release --product perch-bench
	$(SWIFT) build -c release --product perchd
	mkdir -p $(BUILD_DIR)/soak
	$(BUILD_DIR)/release/perch-bench soak --perchd $(BUILD_DIR)/release/perchd --seconds $(SOAK_SECONDS) \
		--rate $(SOAK_RATE) --clients $(SOAK_CLIENTS) --qos $(SOAK_QOS) --interval $(SOAK_INTERVAL) --warm-up $(SOAK_WARM_UP) \
		--csv $(BUILD_DIR)/soak/samples.csv | tee $(BUILD_DIR)/soak/summary.md

check-config:
	$(SWIFT) build --product perchd
	$(BUILD_DIR)/debug/perchd check --config $(CONFIG)

demo: deps
	bash etc/demo/demo.sh

# Figures for Docs/benchmarks.md; the tables are also saved to $(BUILD_DIR)/bench.md.
bench:
	$(SWIFT) build -c release --product perch-bench
	$(SWIFT) build -c release --product perchd
	@{ $(BUILD_DIR)/release/perch-bench machine \
	&& $(BUILD_DIR)/release/perch-bench codec --seconds $(BENCH_SECONDS) --runs $(BENCH_RUNS) \
	&& $(BUILD_DIR)/release/perch-bench instructions \
	&& $(BUILD_DIR)/release/perch-bench uplink --seconds $(BENCH_SECONDS) --runs $(BENCH_RUNS) \
	&& $(BUILD_DIR)/release/perch-bench footprint --perchd $(BUILD_DIR)/release/perchd \
	&& $(BUILD_DIR)/release/perch-bench mqttsn --perchd $(BUILD_DIR)/release/perchd --seconds $(BENCH_MQTTSN_SECONDS) \
	&& $(BUILD_DIR)/release/perch-bench coap --perchd $(BUILD_DIR)/release/perchd --seconds $(BENCH_COAP_SECONDS); } \
	| tee $(BUILD_DIR)/bench.md

# MQTT-SN alone (about 3 minutes); the tables are also saved to $(BUILD_DIR)/bench-mqttsn.md.
bench-mqttsn:
	$(SWIFT) build -c release --product perch-bench
	$(SWIFT) build -c release --product perchd
	$(BUILD_DIR)/release/perch-bench mqttsn --perchd $(BUILD_DIR)/release/perchd --seconds $(BENCH_MQTTSN_SECONDS) \
	| tee $(BUILD_DIR)/bench-mqttsn.md

# CoAP alone (about a minute); the table is also saved to $(BUILD_DIR)/bench-coap.md.
bench-coap:
	$(SWIFT) build -c release --product perch-bench
	$(SWIFT) build -c release --product perchd
	$(BUILD_DIR)/release/perch-bench coap --perchd $(BUILD_DIR)/release/perchd --seconds $(BENCH_COAP_SECONDS) \
	| tee $(BUILD_DIR)/bench-coap.md

# The spool's disk tier alone; BENCH_SPOOL_DIR puts the file on the disk to judge
# (the SD card on a Pi). The table is also saved to $(BUILD_DIR)/bench-spool.md.
BENCH_SPOOL_SECONDS ?= 2
BENCH_SPOOL_DIR     ?= $(TMPDIR)
# Then the spool end to end through perchd and Mosquitto over TLS (about a minute):
# BENCH_SPOOL_MESSAGES through an outage, their drain, and 30 s of online traffic.
BENCH_SPOOL_MESSAGES ?= 100000
bench-spool:
	$(SWIFT) build -c release --product perch-bench
	$(SWIFT) build -c release --product perchd
	@{ $(BUILD_DIR)/release/perch-bench spool-append --seconds $(BENCH_SPOOL_SECONDS) --load \
		$(if $(BENCH_SPOOL_DIR),--directory $(BENCH_SPOOL_DIR)) \
	&& $(BUILD_DIR)/release/perch-bench spool-memory \
	&& $(BUILD_DIR)/release/perch-bench spool-drain --perchd $(BUILD_DIR)/release/perchd --messages $(BENCH_SPOOL_MESSAGES); } \
	| tee $(BUILD_DIR)/bench-spool.md

# Installing. The binary is built with the Swift runtime linked in
# (--static-swift-stdlib), so a machine without a Swift toolchain runs it; it
# has its own scratch directory, so it never mixes with the debug build.
RELEASE_DIR    ?= $(BUILD_DIR)/deb
RELEASE_BIN     = $(RELEASE_DIR)/release/perchd
SYSTEMDUNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,/etc/systemd/system)
DOCDIR         ?= $(PREFIX)/share/doc/perch
VERSION        := $(shell sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/PerchDaemon/PerchVersion.swift)
DEB_ARCH       := $(shell dpkg --print-architecture 2>/dev/null)
DEB             = $(BUILD_DIR)/perch_$(VERSION)_$(DEB_ARCH).deb

# Raspberry Pi OS (Debian 13 "trixie", arm64), issue 21. With ARCH=arm64 on
# another architecture, perchd is cross built by packaging/arm64/build with
# Debian's swiftlang 6.0.3 in the .ci/trixie chroot against the SDK of
# packaging/arm64/make-sdk (cached in /var/cache/perch), linked against Debian's
# Swift runtime (libswiftlang) instead of carrying it, stripped by the linker
# (this machine's strip knows no arm64); Depends come from the SDK's packages
# (packaging/arm64/depends). `make smoke-arm64` runs that binary under qemu.
# Needs root; PERCH_SWIFTPM_MIRROR as for test-trixie.
ARCH          ?= $(DEB_ARCH)
RELEASE_BUILD  = $(SWIFT) build -c release --product perchd --static-swift-stdlib --scratch-path $(RELEASE_DIR)
INSTALL_STRIP  = -s
DEB_DEPENDS    = bash packaging/deb/depends
DEB_ROOT       = $(BUILD_DIR)/deb-root
ifeq ($(ARCH),arm64)
ifneq ($(DEB_ARCH),arm64)
RELEASE_DIR    = $(BUILD_DIR)/arm64
DEB_ARCH      := arm64
RELEASE_BUILD  = bash packaging/arm64/build $@
INSTALL_STRIP  =
DEB_DEPENDS    = bash packaging/arm64/depends
DEB_ROOT       = $(BUILD_DIR)/deb-root-arm64
endif
endif

.PHONY: smoke-arm64
smoke-arm64:
	$(MAKE) --no-print-directory ARCH=arm64 $(BUILD_DIR)/arm64/release/perchd
	bash packaging/arm64/smoke $(BUILD_DIR)/arm64/release/perchd

$(RELEASE_BIN): Package.swift $(shell find Sources -type f)
	$(RELEASE_BUILD)

install: $(RELEASE_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(INSTALL_STRIP) $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/perchd
	sed -e 's#/usr/bin/perchd#$(PREFIX)/bin/perchd#g' -e 's#/usr/share/doc/perch#$(DOCDIR)#g' systemd/perchd.service > $(DESTDIR)$(SYSTEMDUNITDIR)/perchd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/perchd.service
	install -m 0644 README.md Docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 etc/perch.yaml $(DESTDIR)$(DOCDIR)/perch.yaml.example
	install -d -m 0750 $(DESTDIR)/etc/perch
	@# A configuration already there is the operator's: never overwritten.
	[ -e $(DESTDIR)/etc/perch/perch.yaml ] || install -m 0640 etc/perch.minimal.yaml $(DESTDIR)/etc/perch/perch.yaml

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/perchd $(DESTDIR)$(SYSTEMDUNITDIR)/perchd.service
	rm -rf $(DESTDIR)$(DOCDIR)

# The package: `make install` into a staging tree with PREFIX=/usr, the
# maintainer scripts of packaging/deb, Depends from the libraries the binary
# links (dpkg -S), built with dpkg-deb.
deb: $(RELEASE_BIN)
	rm -rf $(DEB_ROOT)
	$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(CURDIR)/$(DEB_ROOT)
	install -d $(DEB_ROOT)/DEBIAN
	install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm $(DEB_ROOT)/DEBIAN/
	install -m 0644 packaging/deb/conffiles $(DEB_ROOT)/DEBIAN/
	depends="$$($(DEB_DEPENDS) $(DEB_ROOT)/usr/bin/perchd)" \
	&& size="$$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1)" \
	&& sed -e 's#@VERSION@#$(VERSION)#' -e 's#@ARCH@#$(DEB_ARCH)#' -e "s#@DEPENDS@#$$depends#" -e "s#@SIZE@#$$size#" \
		packaging/deb/control.in > $(DEB_ROOT)/DEBIAN/control
	dpkg-deb --build --root-owner-group $(DEB_ROOT) $(DEB)
	@echo "built $(DEB)"

clean:
	rm -rf $(BUILD_DIR)
