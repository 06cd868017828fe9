#!/usr/bin/env bats
# cli: the command line every tool shares: --help layout, usage, versions, man SYNOPSIS,
# JSON conventions, old spellings, man page lint, bash completion, packaging rules.
load helpers

TOOLS=(ctl-dump itl-build cert-regen trust-prune cert-expiry)
NOW=2027-01-01T00:00:00Z

# One certificate with hex letters in its serial, in a store's own unit, its trust unit and
# an ITL: every tool reports the same certificate.
setup_file() {
	local s="$BATS_FILE_TMPDIR/store"
	mkdir -p "$s/CallManager" "$s/CallManager-trust"
	mkcert "$s/CallManager" CallManager 100 "/O=Example/CN=cucm1" -set_serial 0xABCDEF0123456789
	chmod 600 "$s/CallManager/CallManager.key"
	cp "$s/CallManager/CallManager.pem" "$s/CallManager-trust/cucm1.pem"
	itl-build -k "$s/CallManager/CallManager.key" --sast "$s/CallManager/CallManager.pem" \
		--now @1800000000 -o "$BATS_FILE_TMPDIR/ITLFile.tlv"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/store" store
	cp "$BATS_FILE_TMPDIR/ITLFile.tlv" .
}

# The options --help documents, one per line: the letter (-x) when there is one, else --long.
help_opts() {
	"$1" --help | sed -n 's/^  \(-[A-Za-z]\), --.*/\1/p; s/^      \(--[a-z0-9-]*\).*/\1/p' |
		grep -v -e '^-h$' -e '^-V$' | sort -u
}

# The options of the man page's SYNOPSIS, in the same form: "Fl ajq" is -a -j -q.
man_opts() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$TOP/man/$1.1" | tr '|' '\n' |
		grep -o 'Fl [^ ]*' | sed 's/^Fl //; s/\\//g' | while read -r f; do
			case $f in
			-*) echo "-$f" ;;
			*) printf -- '-%s\n' $(fold -w1 <<<"$f") ;;
			esac
		done | sort -u
}

@test "cli: --help and -h print the shared layout on stdout and exit 0" {
	for t in "${TOOLS[@]}"; do
		run -0 --separate-stderr "$t" --help
		[ -z "$stderr" ]
		[[ ${lines[0]} == "usage: $t "* ]]
		# usage lines, then option groups ("Heading:" and indented options), then Help:
		grep -q '^Help:$' <<<"$output"
		grep -qx '  -h, --help              print this help and exit' <<<"$output"
		grep -qx '  -V, --version           print the version and exit' <<<"$output"
		[ "$(grep -c '^[A-Z][a-z]*:$' <<<"$output")" -ge 2 ]
		[[ $(grep -v '^ \|^$\|^usage:\|^[A-Z][a-z]*:$' <<<"$output" | head -1) == "Exit status: 0 "* ]]
		grep -q '2 trouble' <<<"$output"
		# an 80-column terminal shows every line whole (help lines are wrapped by the layer)
		[ -z "$(awk 'length > 80' <<<"$output")" ]
		h=$output
		run -0 "$t" -h
		[ "$output" = "$h" ]
	done
}

@test "cli: --version and -V print the same line; unknown options exit 2 with the usage" {
	for t in "${TOOLS[@]}"; do
		run -0 "$t" --version
		[ "$output" = "$t ctlkit $(sed -n 's/^VERSION = //p' "$TOP/Makefile")" ]
		run -0 "$t" -V
		[ "$output" = "$t ctlkit $(sed -n 's/^VERSION = //p' "$TOP/Makefile")" ]
		run -2 --separate-stderr "$t" --no-such-option
		[ -z "$output" ]
		[ "${stderr_lines[0]}" = "$t: --no-such-option: unknown option" ]
		[ "${stderr_lines[1]}" = "$("$t" --help | sed -n 1p)" ]
		run -2 --separate-stderr "$t" -Z
		[ "${stderr_lines[0]}" = "$t: -Z: unknown option" ]
	done
}

@test "cli: options after operands count, as getopt_long always let them (scripts rely on it)" {
	echo hello >a.cnf.xml
	run -0 ctl-dump -b ITLFile.tlv
	local want=$output
	run -0 ctl-dump ITLFile.tlv -b
	[ "$output" = "$want" ]
	# the order issue 13's --sign-file takes: the file first, then the key and the signer
	run -0 itl-build --sign-file a.cnf.xml -k store/CallManager/CallManager.key \
		--signer store/CallManager/CallManager.pem --now $NOW
	run -0 ctl-dump a.cnf.xml.sgn --signer store/CallManager/CallManager.pem -b
	[[ $output == VERIFIED* ]]
	run -0 cert-expiry store -j --now $NOW
	[ "$(jq -r .tool <<<"$output")" = cert-expiry ]
	run -2 --separate-stderr ctl-dump ITLFile.tlv --no-such-option
	[ "${stderr_lines[0]}" = "ctl-dump: --no-such-option: unknown option" ]
	run -2 --separate-stderr ctl-dump ITLFile.tlv -Z
	[ "${stderr_lines[0]}" = "ctl-dump: -Z: unknown option" ]
	# "--" still ends the options: a file named like one is a file
	run -2 --separate-stderr ctl-dump -- -b
	[[ ${stderr_lines[0]} == "ctl-dump: -b"* ]]
}

@test "cli: every option of --help is in the man SYNOPSIS and every SYNOPSIS option in --help" {
	for t in "${TOOLS[@]}"; do
		h=$(help_opts "$t")
		m=$(man_opts "$t")
		[ -n "$h" ] && [ -n "$m" ]
		diff -u <(echo "$h") <(echo "$m")
		# and the usage line is the SYNOPSIS, word for word
		u=$("$t" --help | sed '/^$/q' | sed 's/^usage: //; s/^ *//' | tr -s ' \n' '  ')
		s=$(MANWIDTH=200 mandoc -Tutf8 "$TOP/man/$t.1" | col -bx |
			sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | sed 's/^ *//' | tr -s ' \n' '  ')
		[ "$(tr -d '[]' <<<"$u" | tr '|' ' ' | tr -s ' ')" = "$(tr -d '[]' <<<"$s" | tr '|' ' ' | tr -s ' ')" ]
	done
}

@test "cli: --help and --version to a full disk exit 2" {
	for t in "${TOOLS[@]}"; do
		run -2 --separate-stderr sh -c "$t --help >/dev/full"
		[[ $stderr == "$t: stdout: "* ]]
		run -2 sh -c "$t --version >/dev/full"
		run -2 sh -c "$t -h >/dev/full"
	done
}

@test "cli: every JSON document starts with tool and version and parses" {
	local v k=store/CallManager/CallManager.key c=store/CallManager/CallManager.pem b u
	v=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
	echo hello >f.cnf.xml
	# a backup to restore from (of a copy), and a one-node cluster to plan
	cp -a store s2
	cert-regen -s s2 -y -q --now $NOW CallManager
	b=$(echo s2/.backup/*-cert-regen)
	mkdir cl
	cp -a store cl/cucm-pub
	for u in tomcat ipsec TVS; do
		mkdir cl/cucm-pub/$u
		mkcert cl/cucm-pub/$u $u 100 /CN=cucm1
	done
	echo 'cucm-pub 10.0.0.1 publisher tftp' >cl/nodes
	{
		ctl-dump --json ITLFile.tlv ITLFile.tlv
		itl-build -n -j -k store/CallManager/CallManager.key --sast store/CallManager/CallManager.pem
		cert-regen -s store -n -j --now $NOW CallManager
		trust-prune -s store -j --now $NOW
		cert-expiry -j --now $NOW -s store
		cert-expiry --json-lines --now $NOW store/CallManager/CallManager.pem
		cert-expiry --json-lines --now $NOW /dev/null || true
		# signed files, restores and the cluster plan are documents too
		itl-build --sign-file -j -k $k --signer $c --now $NOW -o f.sgn f.cnf.xml
		ctl-dump -j f.sgn
		cert-regen -n -j -r "$b"
		trust-prune -n -j -r "$b"
		cert-regen --cluster cl --plan -j --now $NOW
	} >all.jsonl 2>/dev/null || true
	[ "$(wc -l <all.jsonl)" -eq 13 ]
	while read -r l; do
		[ "$(jq -c '[keys_unsorted[0], keys_unsorted[1], .version]' <<<"$l")" = "[\"tool\",\"version\",\"$v\"]" ]
	done <all.jsonl
	[ "$(jq -r .tool all.jsonl | tr '\n' ' ')" = \
		"ctl-dump ctl-dump itl-build cert-regen trust-prune cert-expiry cert-expiry cert-expiry itl-build ctl-dump cert-regen trust-prune cert-regen " ]
	# the restore names the tool that made the backup apart from the one writing
	[ "$(sed -n 12p all.jsonl | jq -r '.tool + " " + .backup_tool')" = "trust-prune cert-regen" ]
}

@test "cli: one certificate has one upper-case serial and sha256 in every tool's JSON" {
	local c=store/CallManager/CallManager.pem serial sha
	serial=$(openssl x509 -in $c -noout -serial | cut -d= -f2)
	sha=$(openssl x509 -in $c -outform DER | sha256sum | cut -d' ' -f1 | tr a-f A-F)
	[ "$serial" = ABCDEF0123456789 ]
	[ "$(ctl-dump -j ITLFile.tlv | jq -r '.records[0].certificate | .serial + " " + .sha256')" = "$serial $sha" ]
	[ "$(ctl-dump -j ITLFile.tlv | jq -r '.header.signer.serial')" = "$serial" ]
	[ "$(itl-build -n -j -k store/CallManager/CallManager.key --sast $c |
		jq -r '.records[0].certificate | .serial + " " + .sha256')" = "$serial $sha" ]
	[ "$(cert-expiry -j --now $NOW $c | jq -r '.certificates[0] | .serial + " " + .sha256')" = "$serial $sha" ]
	[ "$(trust-prune -s store -j --now $NOW | jq -r '.certificates[0].serial')" = "$serial" ]
	[ "$(cert-regen -s store -n -j --now $NOW CallManager | jq -r '.units[0].old | .serial + " " + .sha256')" = "$serial $sha" ]
	# a file that does not parse: the same "errors" entry, by the same keys, in both tools
	printf -- '-----BEGIN CERTIFICATE-----\nMIIB!!\n-----END CERTIFICATE-----\n' >store/CallManager-trust/bad.pem
	[ "$(trust-prune -s store -j --now $NOW 2>/dev/null | jq -c '.errors[] | {file, error}')" = \
		"$(cert-expiry -s store -j --now $NOW 2>/dev/null | jq -c '.errors[]')" ]
	rm store/CallManager-trust/bad.pem
	# the text outputs agree
	[ "$(ctl-dump -b ITLFile.tlv | cut -f4,6)" = "$serial	$sha" ]
}

@test "cli: old spellings still work, the same as the new, and say so once" {
	local c=store/CallManager/CallManager.pem k=store/CallManager/CallManager.key
	# ctl-dump -c is --certs
	run -0 --separate-stderr ctl-dump -c ITLFile.tlv
	[ "$output" = "$(ctl-dump --certs ITLFile.tlv)" ]
	[ "$stderr" = "ctl-dump: -c is deprecated: use --certs" ]
	# itl-build --timestamp UNIX is --now @UNIX; --trusted is -t/--trust
	itl-build -k $k --sast $c --now @1800000000 >new.tlv
	run -0 --separate-stderr itl-build -k $k --sast $c --timestamp 1800000000 --trusted ITLFile.tlv --trusted ITLFile.tlv -o old.tlv
	cmp new.tlv old.tlv
	[ "${#stderr_lines[@]}" -eq 2 ]
	[ "${stderr_lines[0]}" = "itl-build: --timestamp is deprecated: use --now" ]
	[ "${stderr_lines[1]}" = "itl-build: --trusted is deprecated: use -t or --trust" ]
	# cert-expiry -t is --threshold (twice: one note)
	run -1 --separate-stderr cert-expiry --now $NOW -w 1 -c 0.5 -t CallManager=200:1 -t CallManager-trust=200:1 -s store
	[ "$output" = "$(cert-expiry --now $NOW -w 1 -c 0.5 --threshold CallManager=200:1 --threshold CallManager-trust=200:1 -s store)" ]
	[ "$(grep -c . <<<"$output")" -eq 2 ]
	[ "$stderr" = "cert-expiry: -t is deprecated: use --threshold" ]
	# trust-prune -k is --keep-in, -a is --apply
	run -0 --separate-stderr trust-prune -s store --now $NOW -k ITLFile.tlv -k ITLFile.tlv
	[ "$stderr" = "trust-prune: -k is deprecated: use --keep-in" ]
	cp -a store s2
	mkcert_dates s2/CallManager-trust gone 20100101000000Z 20200101000000Z "/CN=gone"
	rm s2/CallManager-trust/gone.key
	run -0 --separate-stderr trust-prune -s s2 --now $NOW -a
	[[ ${stderr_lines[0]} == "trust-prune: -a is deprecated: use --apply" ]]
	[ ! -e s2/CallManager-trust/gone.pem ]
	# cert-regen --trust LIST is --trust-stores LIST
	run -0 --separate-stderr cert-regen -s store -n -j --now $NOW --trust none CallManager
	[ "$stderr" = "cert-regen: --trust is deprecated: use --trust-stores" ]
	[ "$(jq -c '[.files[].path]' <<<"$output")" = "$(cert-regen -s store -n -j --now $NOW \
		--trust-stores none CallManager | jq -c '[.files[].path]')" ]
	[ "$(jq -c '[.files[].path]' <<<"$output")" != "$(cert-regen -s store -n -j --now $NOW \
		CallManager | jq -c '[.files[].path]')" ]
}

@test "cli: bad numbers, days and times have one wording and exit 2 with the usage" {
	run -2 --separate-stderr cert-expiry --warning x
	[ "${stderr_lines[0]}" = 'cert-expiry: --warning: not a number of days: "x"' ]
	[[ ${stderr_lines[1]} == "usage: cert-expiry "* ]]
	run -2 --separate-stderr cert-expiry -c -1
	[ "${stderr_lines[0]}" = 'cert-expiry: --critical: not a number of days: "-1"' ]
	run -2 --separate-stderr trust-prune -e 3d
	[ "${stderr_lines[0]}" = 'trust-prune: --expiring: not a number of days: "3d"' ]
	for t in cert-expiry trust-prune cert-regen itl-build; do
		run -2 --separate-stderr "$t" --now yesterday
		[ "${stderr_lines[0]}" = "$t: --now: not a time (YYYY-MM-DDTHH:MM:SSZ or @UNIX): \"yesterday\"" ]
	done
	run -2 --separate-stderr cert-regen --bits 12 CallManager
	[ "${stderr_lines[0]}" = 'cert-regen: --bits: not a number from 1024 to 16384: "12"' ]
	run -2 --separate-stderr cert-regen --trust-stores a-trust,b-trust,c-trust,d-trust,e-trust CallManager
	[ "${stderr_lines[0]}" = 'cert-regen: --trust-stores: more than 4 names' ]
	run -2 --separate-stderr itl-build --digest md5
	[ "${stderr_lines[0]}" = 'itl-build: --digest: not sha1, sha256 or sha512: "md5"' ]
	# --wait: one parser, one wording, in every tool that waits for a store
	for t in trust-prune cert-regen itl-build; do
		run -2 --separate-stderr "$t" --wait soon
		[ "${stderr_lines[0]}" = "$t: --wait: not a number from 0 to 86400: \"soon\"" ]
		[[ ${stderr_lines[1]} == "usage: $t "* ]]
	done
	run -2 --separate-stderr cert-expiry --max-depth -1
	[ "${stderr_lines[0]}" = 'cert-expiry: --max-depth: not a number from 0 to 4096: "-1"' ]
	run -2 --separate-stderr cert-expiry --exclude-serial xyz
	[ "${stderr_lines[0]}" = 'cert-expiry: --exclude-serial: not a serial number in hex: "xyz"' ]
}

@test "cli: mandoc -Tlint -Wstyle is clean on every page, ctlkit(7) included" {
	command -v mandoc >/dev/null || skip "mandoc is not installed (make deps)"
	mkdir -p m/man1 m/man7
	cp "$TOP"/man/*.1 m/man1/ && cp "$TOP"/man/*.7 m/man7/
	# own pages are looked up in m/ (cross references); system pages in the usual place
	run -0 --separate-stderr env MANPATH="$PWD/m:/usr/share/man" mandoc -Tlint -Wstyle \
		"$TOP"/man/*.1 "$TOP"/man/ctlkit.7
	[ -z "$output" ]
	[ -z "$(grep -E 'STYLE|WARNING|ERROR|UNSUPP' <<<"$stderr")" ]
	[ -f "$TOP/man/ctlkit.7" ]
	# no page or help text sends a user to a file of the sources
	! grep -n 'CUCM\.md\|FORMAT\.md\|STYLE\.md\|issue #\?[0-9]' "$TOP"/man/*
	for t in "${TOOLS[@]}"; do ! "$t" --help | grep 'CUCM\.md\|FORMAT\.md'; done
}

@test "cli: bash completion from the option tables: complete -p, long options, file arguments" {
	: >x.tlv; : >y.pem; mkdir -p d
	for t in "${TOOLS[@]}"; do
		[ -f "$TOP/completion/$t" ]
		# the generated file is what the tool prints now
		diff "$TOP/completion/$t" <("$t" --bash-completion)
		run -0 bash -c "source '$TOP/completion/$t'; complete -p $t"
		[[ $output == "complete -F _ctlkit_${t//-/_} $t" ]]
		want=$("$t" --help | grep -o -- '--[a-z0-9-]*' | sort -u)
		got=$(bash -c "source '$TOP/completion/$t'; COMP_WORDS=($t --); COMP_CWORD=1
			_ctlkit_${t//-/_}; printf '%s\n' \"\${COMPREPLY[@]}\"" | sort -u)
		comm -23 <(echo "$want") <(echo "$got") >missing
		[ ! -s missing ]
		# the hidden --bash-completion and old spellings are not offered
		! grep -e --bash-completion -e --trusted -e --timestamp <<<"$got"
	done
	# -t takes a trust list: *.tlv and directories
	run -0 bash -c "source '$TOP/completion/ctl-dump'; COMP_WORDS=(ctl-dump -t ''); COMP_CWORD=2
		_ctlkit_ctl_dump; printf '%s\n' \"\${COMPREPLY[@]}\" | sort"
	[ "$output" = "$(printf '%s\n' ITLFile.tlv d store x.tlv | sort)" ]
	# cert-regen's operands are the store's own units; trust-prune's its trust units
	run -0 bash -c "source '$TOP/completion/cert-regen'; COMP_WORDS=(cert-regen -s store C); COMP_CWORD=3
		_ctlkit_cert_regen; printf '%s\n' \"\${COMPREPLY[@]}\""
	[ "$output" = CallManager ]
	run -0 bash -c "source '$TOP/completion/trust-prune'; COMP_WORDS=(trust-prune -s store ''); COMP_CWORD=3
		_ctlkit_trust_prune; printf '%s\n' \"\${COMPREPLY[@]}\""
	[ "$output" = CallManager-trust ]
}

@test "cli: make install puts binaries, man pages and completions under DESTDIR" {
	run -0 make -s -C "$TOP" install DESTDIR="$PWD/root" PREFIX=/usr
	for t in "${TOOLS[@]}"; do
		[ -x "root/usr/bin/$t" ] && [ -f "root/usr/share/man/man1/$t.1" ]
		cmp "root/usr/share/bash-completion/completions/$t" "$TOP/completion/$t"
	done
	[ -f root/usr/share/man/man7/ctlkit.7 ]
	run -0 env MANPATH="$PWD/root/usr/share/man" man -w ctl-dump
	[ "$output" = "$PWD/root/usr/share/man/man1/ctl-dump.1" ]
}

@test "cli: make's dependency check never installs, it names the command" {
	mkdir stub
	printf '#!/bin/sh\nexit 1\n' >stub/dpkg-query
	printf '#!/bin/sh\ntouch "%s/apt-called"\n' "$PWD" >stub/apt-get
	chmod +x stub/*
	run -2 --separate-stderr env PATH="$PWD/stub:$PATH" sh "$TOP/tests/deps.sh" --check gcc mandoc
	[[ $stderr == *"apt-get install -y gcc mandoc"* ]]
	[ ! -e apt-called ]
	# `make` (all) and `make install` use --check, never the installing mode
	run -0 make -n -C "$TOP" all install
	! grep -q 'deps.sh --quiet\|apt-get' <<<"$output"
	grep -q 'deps.sh --check' <<<"$output"
	# make deb only checks for the packaging tools; make deps is what installs them
	run -0 make -n -C "$TOP" deb
	grep -q 'deps.sh --check .*dpkg-dev debhelper lintian' <<<"$output"
	! grep -q 'deps.sh --quiet\|apt-get' <<<"$output"
	run -0 make -n -C "$TOP" deps
	grep -q 'deps.sh .*dpkg-dev debhelper lintian' <<<"$output"
}
