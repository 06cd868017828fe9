#!/bin/sh
# make demo: the whole story on a fresh machine. First the bundled sample ITL (built by
# ctlkit itself, see samples/README), then a throw-away store: build its ITL, regenerate
# CallManager as `set cert regen` does, rebuild the ITL refusing one phones would reject,
# check expiry and what trust-prune would remove. Then a three-node cluster: its plan, the
# runbook for the live change window, the run offline and the replay of what phones saw.
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

# The second half: a cluster. Three node stores made by cert-regen as above, each TFTP node
# serving the ITL itl-build makes; the plan, the runbook for the live cluster, the run offline,
# and what phones saw at each handover.
step "a three-node cluster: node stores made by cert-regen, CallManager-trust replicated"
for n in cucm-pub cucm-sub1 cucm-sub2; do
	mkdir -p "cluster/$n"
	for u in CallManager tomcat ipsec TVS; do
		cert-regen -q -s "cluster/$n" --host "$n" -y "$u"
	done
done
for u in CAPF ITLRecovery; do
	cert-regen -q -s cluster/cucm-pub --host cucm-pub -y "$u"
done
for n in cucm-pub cucm-sub1 cucm-sub2; do
	for m in cucm-pub cucm-sub1 cucm-sub2; do
		[ "$n" = "$m" ] || cp "cluster/$m/CallManager/CallManager.pem" "cluster/$n/CallManager-trust/$m.pem"
	done
done
cat >cluster/nodes <<'NODES'
# node     address    roles
cucm-pub   10.1.1.10  publisher tftp
cucm-sub1  10.1.1.11  tftp
cucm-sub2  10.1.1.12
NODES
cat cluster/nodes

step "itl-build --cluster --all: the ITL each TFTP node of an 11.5 cluster serves, signed by its CallManager"
itl-build --cluster cluster --cucm-version 11.5 --all
ctl-dump --brief cluster/cucm-sub1/tftp/ITLFile.tlv | cut -f1-3

step "cert-regen --cluster --plan: TVS and CallManager of every node, in an order every phone accepts"
cert-regen --cluster cluster --cucm-version 11.5 --plan TVS CallManager

step "cert-regen --cluster --runbook: the same steps as what to type on the live cluster, a check after each"
cert-regen --cluster cluster --cucm-version 11.5 --runbook TVS CallManager

step "cert-regen --cluster -y: the run, offline: each new ITL judged as a phone would before it is served"
cert-regen --cluster cluster --cucm-version 11.5 -y TVS CallManager | grep -e '^step' -e '^  itl' -e '^final'

step "ctl-dump --cluster -t: the replay, every handover the phones of each TFTP node saw"
for n in cucm-pub cucm-sub1; do
	prev=
	for f in cluster/$n/tftp/history/*-ITLFile.tlv cluster/$n/tftp/ITLFile.tlv; do
		[ -z "$prev" ] || ctl-dump --cluster cluster --cucm-version 11.5 -b -t "$prev" "$f" | tail -n 1
		prev=$f
	done
done
