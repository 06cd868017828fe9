# ctlkit: GNU make. Everything derives from the tool stems in src/ and the files in lib/*/.
.DELETE_ON_ERROR:
# Objects and archives are kept between runs (no rebuild of what did not change).
.SECONDARY:

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
PKG_CONFIG ?= pkg-config
CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer

DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcrypto libtasn1 libpcap 2>/dev/null)
DEPS_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto libtasn1 libpcap 2>/dev/null || echo -lcrypto -ltasn1 -lpcap)
ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DCTK_VERSION='"$(VERSION)"' -Ilib $(DEPS_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARN) $(WERROR) $(CFLAGS)

TOOLS = $(patsubst src/%.c,%,$(wildcard src/*.c))
BINS = $(TOOLS:%=bin/%)
# lib/ is grouped by concern, lowest first; tests/layers.sh checks that no folder includes
# one above it (DEVELOPERS.md has the map).
LIBSRC = $(wildcard lib/*/*.c)
LIBOBJ = $(LIBSRC:.c=.o)
# The unit tests' objects (tests/unit/*.c) compile beside the library's, in parallel, before the
# archive is made; only their link waits for it.
UNITSRC = $(wildcard tests/unit/*.c)
UNITOBJ = $(UNITSRC:.c=.o)
DEPFILES = $(LIBOBJ:.o=.d) $(TOOLS:%=src/%.d) $(UNITOBJ:.o=.d)

# Debian 12 packages: build; what make check's tier needs (bats, jq, the openssl CLI, GNU
# parallel for bats --jobs, mandoc for the --help/SYNOPSIS check); what only make check-full
# needs (SoftHSM, pkcs11-tool and OpenSSL's pkcs11 engine for the PKCS#11 tests, promtool;
# python3's http.server, tftpd-hpa, curl and tftp-hpa for the loopback servers of
# tests/servers.bash; tcpdump for the loopback captures of tests/ctl-dump-pcap.bats).
BUILD_PKGS = gcc make pkg-config libssl-dev libtasn1-6-dev libpcap-dev
TEST_PKGS = bats jq openssl parallel mandoc
FULL_PKGS = softhsm2 opensc libengine-pkcs11-openssl prometheus python3 curl tftpd-hpa tftp-hpa \
	tcpdump
# What `make deb` needs; `make deps` installs it, `make deb` only checks.
DEB_PKGS = dpkg-dev debhelper lintian
DEPS_STAMP = .deps-ok
# Bash completions, generated from each tool's option table (`TOOL --bash-completion`).
COMPLETIONS = $(TOOLS:%=completion/%)

all: deps-check $(BINS) $(COMPLETIONS)

# Header dependencies come from the compiler (-MMD -MP), not from a hand-kept list.
%.o: %.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(DEPFILES)

lib/libctk.a: $(LIBOBJ)
	rm -f $@.tmp
	$(AR) rcs $@.tmp $(LIBOBJ)
	mv -f $@.tmp $@

# Link to a temp name and rename: a running test never sees a half-written binary.
bin/%: src/%.o lib/libctk.a
	@mkdir -p bin
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@.tmp $< lib/libctk.a $(DEPS_LIBS) $(LDLIBS)
	mv -f $@.tmp $@

# The ASN.1 module is compiled once by a maintainer and committed (needs libtasn1-bin).
asn1:
	asn1Parser -o lib/x509/ctk_asn1_tab.c -n ctk_asn1_tab lib/x509/ctk.asn

completion/%: bin/%
	@mkdir -p completion
	$< --bash-completion >$@.tmp
	mv -f $@.tmp $@

# deps: install what is missing (apt-get as root, else print the command).
deps:
	@sh tests/deps.sh $(BUILD_PKGS) $(TEST_PKGS) $(FULL_PKGS) $(DEB_PKGS)

# `make` and `make install` never install packages: they name the missing ones and stop.
deps-check:
	@sh tests/deps.sh --check $(BUILD_PKGS)

# Test-only programs (malformed corpus writer, fixtures), linked with the library.
TESTBINS = $(patsubst tests/tools/%.c,tests/bin/%,$(wildcard tests/tools/*.c)) tests/bin/unit
tests/bin/%: tests/tools/%.c lib/libctk.a
	@mkdir -p tests/bin
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< lib/libctk.a $(DEPS_LIBS) $(LDLIBS)

# The unit tests: one program from tests/unit/*.c (tests/unit/test.h, no framework).
# mkcorpus (for tests/fuzz/seeds.sh) writes the corpus the unit tests check in memory.
tests/bin/unit: $(UNITOBJ) lib/libctk.a
	@mkdir -p tests/bin
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNITOBJ) lib/libctk.a $(DEPS_LIBS) $(LDLIBS)
tests/bin/mkcorpus: tests/tools/mkcorpus.c tests/unit/corpus.o tests/unit/corpus.h lib/libctk.a
	@mkdir -p tests/bin
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/unit/corpus.o \
	    lib/libctk.a $(DEPS_LIBS) $(LDLIBS)

# Two tiers (DEVELOPERS.md, "Tests"). check: the unit tests, then the Bats tests of each tool's
# command line (every test not tagged "full"). check-full (what CI runs): the unit tests and
# every Bats test, the crash, kill, failure-injection, scale, bomb, man-example, install and
# lint tests included (CTK_TIER=full), with every timing of the timed-kill loops (CTK_FULL=1).
# Each installs the packages its tier needs first (as the README says); `all` only checks.
CTK_FULL ?=
CTK_TIER ?=
check:
	@sh tests/deps.sh --quiet $(BUILD_PKGS) $(TEST_PKGS) $(if $(CTK_TIER),$(FULL_PKGS))
	@$(MAKE) --no-print-directory -j$$(nproc 2>/dev/null || echo 1) all $(TESTBINS)
	sh tests/layers.sh
	tests/bin/unit
	CTK_TIER="$(CTK_TIER)" CTK_FULL="$(CTK_FULL)" PATH="$(CURDIR)/bin:$$PATH" sh tests/run.sh $(BATSFLAGS) tests

check-full:
	$(MAKE) check CTK_TIER=full CTK_FULL=1

# Sanitizer reports exit 99 (as valgrind does in `make valgrind`): never mistaken for 1 or 2.
sancheck:
	@sh tests/deps.sh --quiet clang
	$(MAKE) clean
	$(MAKE) check CTK_TIER=full CC=clang CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" \
	    ASAN_OPTIONS=detect_leaks=1:exitcode=99 LSAN_OPTIONS=exitcode=99 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99
	$(MAKE) clean

valgrind: all $(TESTBINS)
	@sh tests/deps.sh --quiet valgrind $(TEST_PKGS) $(FULL_PKGS)
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite tests/bin/unit
	CTK_VALGRIND=1 PATH="$(CURDIR)/bin:$$PATH" bats $(BATSFLAGS) tests

# Fuzzing (tests/fuzz/fuzz_*.c, libFuzzer): the library is rebuilt with the fuzz flags into
# tests/fuzz/bin, never into lib/*.o. `make fuzz FUZZ_SECONDS=N` runs each target N seconds.
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 $(WARN) $(WERROR) -O1 -g $(FUZZ_SAN)
FUZZ_DIR = tests/fuzz/bin
FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIBOBJ = $(LIBSRC:lib/%.c=$(FUZZ_DIR)/lib/%.o)

$(FUZZ_DIR)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

-include $(FUZZ_LIBOBJ:.o=.d)

$(FUZZ_DIR)/libctk.a: $(FUZZ_LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(FUZZ_LIBOBJ)

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/libctk.a
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_DIR)/libctk.a $(DEPS_LIBS) $(LDLIBS)

fuzz-build:
	@sh tests/deps.sh --quiet clang
	$(MAKE) $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)

fuzz: all $(TESTBINS) fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf $(FUZZ_DIR) tests/fuzz/corpus-*

bench: all
	@for b in bench/*.sh; do sh "$$b" || exit 2; done

# demo and check install what is missing first (as the README says); `all` only checks.
demo:
	@sh tests/deps.sh --quiet $(BUILD_PKGS)
	@$(MAKE) --no-print-directory all
	@sh samples/demo.sh

lint:
	mandoc -Tlint -Wwarning man/*.1 man/*.7

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(COMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(COMPLETIONS) $(DESTDIR)$(COMPDIR)

uninstall:
	cd $(DESTDIR)$(BINDIR) && rm -f $(TOOLS)
	cd $(DESTDIR)$(MANDIR)/man1 && rm -f $(TOOLS:%=%.1)
	cd $(DESTDIR)$(MANDIR)/man7 && rm -f ctlkit.7
	cd $(DESTDIR)$(COMPDIR) && rm -f $(TOOLS)

# deb: ctlkit_<version>_<arch>.deb from debian/, built in a copy of the tracked files
# under build/ (dpkg-buildpackage writes beside the source tree), then checked by lintian.
DEB_DIR = build/deb/ctlkit-$(VERSION)
deb:
	@sh tests/deps.sh --check $(BUILD_PKGS) $(DEB_PKGS)
	rm -rf build/deb
	mkdir -p $(DEB_DIR)
	git ls-files -z | xargs -0 cp --parents -t $(DEB_DIR)
	cd $(DEB_DIR) && dpkg-buildpackage -b -us -uc
	cp build/deb/ctlkit_$(VERSION)_*.deb .
	lintian --fail-on error build/deb/ctlkit_$(VERSION)_*.changes

clean:
	rm -rf bin tests/bin lib/*/*.o lib/*/*.d lib/*.a src/*.o src/*.d tests/unit/*.o tests/unit/*.d \
	    tests/fuzz/*.o \
	    completion build ctlkit_*.deb

.PHONY: all asn1 deps deps-check deb check check-full sancheck valgrind fuzz fuzz-build fuzz-clean bench demo lint install uninstall clean
