#!/bin/sh
# make demo: the whole story on a fresh machine. First the bundled sample ITL (built by
# ctlkit itself, see samples/README), then a throw-away store: build its ITL, regenerate
# CallManager as `set cert regen` does, rebuild the ITL refusing one phones would reject,
# check expiry and what trust-prune would remove.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
step() { printf '\n==== %s\n' "$*"; }

step "ctl-dump samples/ITLFile-demo.tlv   (as CUCM's show itl prints it, signature checked)"
ctl-dump "$top/samples/ITLFile-demo.tlv"

cd "$tmp"
mkdir store
step "cert-regen: a fresh offline store for node cucm-pub (one unit at a time, as CUCM requires)"
for u in ITLRecovery CAPF TVS tomcat CallManager; do
	cert-regen -q -s store --host cucm-pub -y "$u"
done
(cd store && find . -path ./.backup -prune -o -type f -print | sort)

step "itl-build: the node's ITL from the store, signed by ITLRecovery"
itl-build -s store --host cucm-pub --ip 10.1.1.10 -k store/ITLRecovery/ITLRecovery.key -o ITLFile.tlv
ctl-dump --brief ITLFile.tlv | cut -f1-5

step "cert-regen CallManager: backups first, trust stores updated, the restart plan"
cert-regen -s store -y CallManager

step "itl-build --trust: the new ITL is written only if phones holding the old one accept it"
itl-build -s store --host cucm-pub --ip 10.1.1.10 -k store/ITLRecovery/ITLRecovery.key \
	--trust ITLFile.tlv -o ITLFile.tlv.new
ctl-dump --brief --trust ITLFile.tlv ITLFile.tlv.new | cut -f1-5

step "cert-expiry: every certificate of the store within 2000 days, CUCM alarm lines"
cert-expiry -s store --warning 2000 --critical 1000 --alarm --node cucm-pub || true

step "trust-prune: a dry run selecting all that expires within 2000 days; what phones need is kept"
trust-prune -s store --expiring 2000 --verbose || true
