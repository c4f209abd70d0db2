# SPDX-License-Identifier: GPL-2.0
#
# make          build BPF objects, skeletons, the library and the programs
# make deps     install the Debian packages (root; idempotent)
# make test     every test tier: unit (cmocka), BPF fixtures (BPF_PROG_TEST_RUN),
#               end to end (netns + veth, real traffic); needs root
# make bench    datapath benchmark (prints figures, never fails on them)
# make clean

.DEFAULT_GOAL := all

BUILD	?= build
ARCH	:= $(shell uname -m)

CLANG	?= clang
CC	?= gcc
BPFTOOL	?= bpftool

BPF_CFLAGS := -target bpf -mcpu=v3 -O2 -g -Wall -Werror \
	-I/usr/include/$(ARCH)-linux-gnu -Imaps -Ibpf/include

CFLAGS	?= -O2 -g
CFLAGS	+= -Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration \
	-D_GNU_SOURCE -Imaps -Iuser/lib -I$(BUILD) -I/usr/include/postgresql \
	-DGF_BUILD_DB='"$(abspath $(BUILD))/geofence-country.mmdb"' \
	-DGF_SRCDIR='"$(CURDIR)"' -DGF_BUILD_DIR='"$(abspath $(BUILD))"' \
	-DGF_VERSION='"$(VERSION)"'
# install paths: PREFIX and DESTDIR as usual; the configuration lives in SYSCONFDIR
PREFIX	?= /usr/local
SYSCONFDIR ?= /etc
UNITDIR	?= $(PREFIX)/lib/systemd/system
DATADIR	:= $(PREFIX)/share/geofence
CFLAGS	+= -DGF_DATADIR='"$(DATADIR)"'
# libfixbuf (IPFIX) brings glib: asked of pkg-config when used, after `make deps` installed it
CFLAGS	+= $(shell pkg-config --cflags libfixbuf 2>/dev/null)
LDLIBS	= -lxdp -lbpf -lelf -lz -lmaxminddb -ljson-c -lconfig -lcrypto -lhs -lmicrohttpd -lsystemd -lpq -lcurl \
	  -lnftables $(shell pkg-config --libs libfixbuf 2>/dev/null) -lm
# the version: the git description of the checkout, or what the caller says
VERSION	?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# LAYOUT_TEST=1 builds another map layout (maps/geofence.h): the upgrade test
# runs such a build against this one
ifeq ($(LAYOUT_TEST),1)
BPF_CFLAGS += -DGF_LAYOUT_TEST
CFLAGS	+= -DGF_LAYOUT_TEST
endif

# --- BPF -------------------------------------------------------------------
BPF_HOOKS := $(wildcard bpf/*.bpf.c)
BPF_HDRS  := $(wildcard bpf/include/*.h) $(wildcard maps/*.h)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_HOOKS))

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(BUILD)/bpf
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# the hooks share their maps: link them into one object, one skeleton
$(BUILD)/geofence.bpf.o: $(BPF_OBJS)
	$(BPFTOOL) gen object $@ $^

$(BUILD)/geofence.skel.h: $(BUILD)/geofence.bpf.o
	$(BPFTOOL) gen skeleton $< name geofence_bpf > $@

# --- the default database ------------------------------------------------------
# Built from Debian's tor-geoipdb (IPFire location data, CC BY-SA 4.0).
TOR_GEOIP := /usr/share/tor/geoip /usr/share/tor/geoip6
DEFAULT_DB := $(BUILD)/geofence-country.mmdb

$(DEFAULT_DB): scripts/build-default-db.pl $(TOR_GEOIP) | $(BUILD)/bpf
	scripts/build-default-db.pl $@ $(TOR_GEOIP)

# --- country codes, from Debian's iso-codes ------------------------------------
ISO3166 := /usr/share/iso-codes/json/iso_3166-1.json

$(BUILD)/gf_iso3166.h: scripts/gen-iso3166.pl $(ISO3166) | $(BUILD)/bpf
	scripts/gen-iso3166.pl $(ISO3166) > $@.tmp && mv $@.tmp $@

# --- the data sanity check's reference: what the default data gives to countries
$(BUILD)/gf_reference.h: scripts/gen-reference.pl $(TOR_GEOIP) | $(BUILD)/bpf
	scripts/gen-reference.pl $(TOR_GEOIP) > $@.tmp && mv $@.tmp $@

# --- userspace library ------------------------------------------------------
LIB_SRCS := $(wildcard user/lib/*.c user/lib/dlp/*.c)
LIB_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(LIB_SRCS))
LIB	 := $(BUILD)/libgeofence.a

$(BUILD)/user/%.o: user/%.c $(wildcard user/lib/*.h user/lib/dlp/*.h user/lib/dlp/*.def) $(wildcard maps/*.h) \
		   $(BUILD)/geofence.skel.h \
		   $(BUILD)/gf_iso3166.h $(BUILD)/gf_reference.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# made anew: an archive keeps the objects of sources that are gone
$(LIB): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# --- programs: the files of user/NAME/ -> build/NAME -----------------------------
PROG_NAMES := geofence geofenced
PROGS := $(addprefix $(BUILD)/,$(PROG_NAMES))
prog_objs = $(patsubst user/%.c,$(BUILD)/user/%.o,$(wildcard user/$(1)/*.c))

$(foreach p,$(PROG_NAMES),$(eval $(call prog_objs,$(p)): $(wildcard user/$(p)/*.h)))
$(foreach p,$(PROG_NAMES),$(eval $(BUILD)/$(p): $(call prog_objs,$(p)) $(LIB)))

$(PROGS):
	$(CC) $(CFLAGS) $(filter %.o %.a,$^) -o $@ $(LDLIBS)

# --- tests -------------------------------------------------------------------
TEST_BPF_SRCS := $(wildcard tests/bpf/*.bpf.c tests/bench/*.bpf.c)
TEST_BPF_OBJS := $(patsubst tests/%.bpf.c,$(BUILD)/tests/%.bpf.o,$(TEST_BPF_SRCS))
TEST_SKELS    := $(patsubst %.bpf.o,%.skel.h,$(TEST_BPF_OBJS))

$(BUILD)/tests/%.bpf.o: tests/%.bpf.c $(BPF_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -Itests/lib -c $< -o $@

$(BUILD)/tests/%.skel.h: $(BUILD)/tests/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$(notdir $*))_bpf > $@

TEST_LIB_SRCS := $(wildcard tests/lib/*.c)
TEST_LIB_OBJS := $(patsubst tests/%.c,$(BUILD)/tests/%.o,$(TEST_LIB_SRCS))
TEST_CFLAGS   := $(CFLAGS) -Itests/lib -I$(BUILD)/tests/bpf -I$(BUILD)/tests/bench

$(BUILD)/tests/%.o: tests/%.c $(wildcard tests/lib/*.h) $(TEST_SKELS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/*.c))
BPF_TESTS  := $(patsubst tests/bpf/%.c,$(BUILD)/tests/bpf/%,$(filter-out %.bpf.c,$(wildcard tests/bpf/*.c)))
E2E_TESTS  := $(patsubst tests/e2e/%.c,$(BUILD)/tests/e2e/%,$(wildcard tests/e2e/*.c))
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/tests/bench/%,$(filter-out %.bpf.c,$(wildcard tests/bench/*.c)))

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(TEST_LIB_OBJS) $(LIB)
	$(CC) $(CFLAGS) $^ -o $@ -lcmocka $(LDLIBS)

$(BUILD)/tests/bpf/%: $(BUILD)/tests/bpf/%.o $(TEST_LIB_OBJS) $(LIB)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) -lpthread

$(BUILD)/tests/e2e/%: $(BUILD)/tests/e2e/%.o $(TEST_LIB_OBJS) $(LIB)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) -lpthread

$(BUILD)/tests/bench/%: $(BUILD)/tests/bench/%.o $(TEST_LIB_OBJS) $(LIB)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) -lpthread -lm

# --- fuzzing (make fuzz) ---------------------------------------------------------
# libFuzzer with ASan, LeakSanitizer and UBSan, FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -Imaps -Iuser/lib
FUZZ_LIBSRC  := user/lib/gf_geo.c user/lib/gf_file.c user/lib/gf_ranges.c user/lib/gf_tor.c user/lib/gf_text.c
# the evidence parser, with what it names categories by and estimates with
FUZZ_EVSRC   := user/lib/gf_evidence.c user/lib/gf_bottomk.c user/lib/gf_estimate.c user/lib/gf_hll.c \
	$(wildcard user/lib/dlp/*.c) user/lib/gf_log.c user/lib/gf_state.c user/lib/gf_text.c

$(BUILD)/fuzz/fuzz_evidence: tests/fuzz/fuzz_evidence.c $(FUZZ_EVSRC) $(wildcard user/lib/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $< $(FUZZ_EVSRC) -o $@ -lhs -lcrypto -lz -lbpf -ljson-c -lm

$(BUILD)/fuzz/fuzz_peek: tests/fuzz/fuzz_peek.c user/lib/gf_peek.c user/lib/gf_quic.c user/lib/gf_peek.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $< user/lib/gf_peek.c user/lib/gf_quic.c -o $@ -lcrypto -lm

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIBSRC) $(wildcard user/lib/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $< $(FUZZ_LIBSRC) -o $@ -lmaxminddb

# seed databases for the tree walk: small, every shape
$(BUILD)/fuzz/corpus/mmdb/.seeded: tests/lib/mkdb.pl
	@mkdir -p $(dir $@)
	tests/lib/mkdb.pl $(dir $@)v4-24.mmdb --ip-version 4 --record-size 24 --networks 40
	tests/lib/mkdb.pl $(dir $@)v6-28a.mmdb --ip-version 6 --record-size 28 --aliases --networks 40
	tests/lib/mkdb.pl $(dir $@)v6-32c.mmdb --ip-version 6 --record-size 32 --shape city --networks 20
	tests/lib/mkdb.pl $(dir $@)asn.mmdb --shape asn --networks 20
	@touch $@

fuzz: deps $(BUILD)/fuzz/fuzz_list $(BUILD)/fuzz/fuzz_mmdb $(BUILD)/fuzz/fuzz_evidence $(BUILD)/fuzz/fuzz_peek \
		$(BUILD)/fuzz/corpus/mmdb/.seeded
	@mkdir -p $(BUILD)/fuzz/corpus/list
	cp -n tests/fuzz/corpus/list/* $(BUILD)/fuzz/corpus/list/
	$(BUILD)/fuzz/fuzz_list -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus/list
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0 \
	$(BUILD)/fuzz/fuzz_mmdb -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus/mmdb
	@mkdir -p $(BUILD)/fuzz/corpus/evidence
	cp -n tests/fuzz/corpus/evidence/* $(BUILD)/fuzz/corpus/evidence/
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0 \
	$(BUILD)/fuzz/fuzz_evidence -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus/evidence
	@mkdir -p $(BUILD)/fuzz/corpus/peek
	cp -n tests/fuzz/corpus/peek/* $(BUILD)/fuzz/corpus/peek/
	$(BUILD)/fuzz/fuzz_peek -max_total_time=$(FUZZ_SECONDS) -max_len=1501 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus/peek
	@echo "fuzz: no crash, no leak in $(FUZZ_SECONDS) s per target"

# --- top level -----------------------------------------------------------------
.SECONDARY:
.PHONY: all programs deps layout-test test test-unit test-bpf test-e2e bench demo fuzz clean install uninstall

all: programs $(UNIT_TESTS) $(BPF_TESTS) $(E2E_TESTS) $(BENCH_BINS)

# what make install (and the Debian package) ships
programs: $(BUILD)/geofence.skel.h $(LIB) $(PROGS) $(DEFAULT_DB)

$(BUILD)/bpf:
	@mkdir -p $@

# the agent and CLI in the test layout, for tests/e2e/test_upgrade
layout-test:
	$(MAKE) BUILD=$(BUILD)/layout-test LAYOUT_TEST=1 $(BUILD)/layout-test/geofenced \
		$(BUILD)/layout-test/geofence

deps:
	scripts/install-deps.sh

# test, bench and demo install missing packages first (idempotent), then build
test: deps
	$(MAKE) all layout-test
	scripts/run-tests.sh $(BUILD)

test-unit test-bpf test-e2e: deps
	$(MAKE) all layout-test
	scripts/run-tests.sh $(BUILD) $(patsubst test-%,%,$@)

bench: deps
	$(MAKE) all
	$(BUILD)/tests/bench/gf_bench $(BENCH_ARGS)
	$(BUILD)/tests/bench/gf_dlp_bench
	$(BUILD)/tests/bench/gf_export_bench

demo: deps
	$(MAKE) all
	scripts/demo.sh $(BUILD)

# make install [PREFIX=/usr/local] [DESTDIR=...]: binaries, the BPF object (also
# embedded in the binaries), the systemd unit, the default database, the rules,
# man pages; the configuration only where there is none yet.
install: programs
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/geofence \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(DATADIR)/prometheus \
		$(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/doc/geofence \
		$(DESTDIR)$(SYSCONFDIR)/geofence/countries.d
	install -m 0755 $(BUILD)/geofenced $(DESTDIR)$(PREFIX)/sbin/geofenced
	install -m 0755 $(BUILD)/geofence $(DESTDIR)$(PREFIX)/bin/geofence
	install -m 0644 $(BUILD)/geofence.bpf.o $(DESTDIR)$(PREFIX)/lib/geofence/geofence.bpf.o
	install -m 0644 $(DEFAULT_DB) $(DESTDIR)$(DATADIR)/geofence-country.mmdb
	install -m 0644 scripts/evidence-schema.sql $(DESTDIR)$(DATADIR)/evidence-schema.sql
	install -m 0644 docs/prometheus/geofence.rules.yml docs/prometheus/geofence-dashboard.json \
		$(DESTDIR)$(DATADIR)/prometheus/
	install -m 0644 docs/man/geofenced.8 docs/man/geofence.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 docs/*.md $(DESTDIR)$(PREFIX)/share/doc/geofence/
	sed -e 's|@SBINDIR@|$(PREFIX)/sbin|g' -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		-e 's|@DOCDIR@|$(PREFIX)/share/doc/geofence|g' user/conf/geofenced.service.in \
		> $(DESTDIR)$(UNITDIR)/geofenced.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/geofenced.service
	sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
		-e 's|@DOCDIR@|$(PREFIX)/share/doc/geofence|g' user/conf/geofence-update.service.in \
		> $(DESTDIR)$(UNITDIR)/geofence-update.service
	install -m 0644 user/conf/geofence-update.timer $(DESTDIR)$(UNITDIR)/
	sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@DOCDIR@|$(PREFIX)/share/doc/geofence|g' \
		user/conf/geofence-guard.service.in > $(DESTDIR)$(UNITDIR)/geofence-guard.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/geofence-guard.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/geofence-update.service
	test -e $(DESTDIR)$(SYSCONFDIR)/geofence/geofence.conf || \
		sed 's|/usr/local/share/geofence|$(DATADIR)|g' user/conf/geofence.conf \
		> $(DESTDIR)$(SYSCONFDIR)/geofence/geofence.conf
	test -e $(DESTDIR)$(SYSCONFDIR)/geofence/countries.d/00-concern.list || \
		install -m 0644 user/conf/countries.d/00-concern.list $(DESTDIR)$(SYSCONFDIR)/geofence/countries.d/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/geofenced $(DESTDIR)$(PREFIX)/bin/geofence \
		$(DESTDIR)$(UNITDIR)/geofenced.service $(DESTDIR)$(UNITDIR)/geofence-guard.service \
		$(DESTDIR)$(UNITDIR)/geofence-update.service $(DESTDIR)$(UNITDIR)/geofence-update.timer \
		$(DESTDIR)$(PREFIX)/share/man/man8/geofenced.8 $(DESTDIR)$(PREFIX)/share/man/man8/geofence.8
	rm -rf $(DESTDIR)$(PREFIX)/lib/geofence $(DESTDIR)$(DATADIR) $(DESTDIR)$(PREFIX)/share/doc/geofence

clean:
	rm -rf $(BUILD)
