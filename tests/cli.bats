#!/usr/bin/env bats
# cli: the command line every tool shares: --help layout, usage, versions, man SYNOPSIS,
# JSON conventions, old spellings, man page lint, bash completion, packaging rules.
load helpers
load storekit

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

# These helpers read text with bash builtins: each process costs ~8 ms here, a builtin nothing.

# help_opts HELPTEXT: REPLY is the options --help documents, one per line (unsorted): the letter (-x)
# when there is one, else --long; not -h and -V.
help_opts() {
	local l o short='^  (-[A-Za-z]), --' long='^      (--[a-z0-9-]*)'
	REPLY=
	while IFS= read -r l; do
		if [[ $l =~ $short ]]; then o=${BASH_REMATCH[1]}
		elif [[ $l =~ $long ]]; then o=${BASH_REMATCH[1]}
		else continue
		fi
		[ "$o" = -h ] || [ "$o" = -V ] || REPLY+=$o$'\n'
	done <<<"$1"
}

# man_opts TOOL: REPLY is the options of the man page's SYNOPSIS, in the same form: "Fl ajq" is -a -j -q.
man_opts() {
	local l rest in=0 f i fl='Fl ([^ |]*)'
	REPLY=
	while IFS= read -r l; do
		[[ $l != .Sh\ SYNOPSIS* ]] || in=1
		[ $in = 1 ] || continue
		# every "Fl WORD" (a word ends at a space or '|')
		rest=$l
		while [[ $rest =~ $fl ]]; do
			rest=${rest#*"${BASH_REMATCH[0]}"}
			f=${BASH_REMATCH[1]//\\/}
			case $f in
			-*) REPLY+=-$f$'\n' ;;
			'') REPLY+=-$'\n' ;;
			*) for ((i = 0; i < ${#f}; i++)); do REPLY+=-${f:i:1}$'\n'; done ;;
			esac
		done
		[[ $l != .Sh\ DESCRIPTION* ]] || break
	done <"$TOP/man/$1.1"
}

# same_set A B: the lines of A and of B are the same set; else print what differs.
same_set() {
	local -A a=() b=()
	local l bad=0
	while IFS= read -r l; do a[x$l]=1; done <<<"$1"
	while IFS= read -r l; do b[x$l]=1; done <<<"$2"
	for l in "${!a[@]}"; do [ -n "${b[$l]:-}" ] || { echo "-${l#x}"; bad=1; }; done
	for l in "${!b[@]}"; do [ -n "${a[$l]:-}" ] || { echo "+${l#x}"; bad=1; }; done
	return $bad
}

# squeeze TEXT: REPLY is TEXT with newlines and '|' as spaces, '[' and ']' gone, runs of
# spaces as one
squeeze() {
	local t=${1//$'\n'/ }
	t=${t//|/ } t=${t//[\[\]]/}
	while [[ $t == *"  "* ]]; do t=${t//  / }; done
	REPLY=$t
}

# help_layout: the body of the test below, run by notrace (its loops read text with builtins:
# Bats' trace would cost more than they do).
help_layout() {
	local l n first other='^ |^$|^usage:'
	for t in "${TOOLS[@]}"; do
		xrun -0 --separate-stderr "$t" --help
		[ -z "$stderr" ]
		[[ ${lines[0]} == "usage: $t "* ]]
		# usage lines, then option groups ("Heading:" and indented options), then Help:
		[[ $'\n'$output$'\n' == *$'\nHelp:\n'* ]]
		[[ $'\n'$output$'\n' == *$'\n  -h, --help              print this help and exit\n'* ]]
		[[ $'\n'$output$'\n' == *$'\n  -V, --version           print the version and exit\n'* ]]
		n=0 first=
		while IFS= read -r l; do
			if [[ $l =~ ^[A-Z][a-z]*:$ ]]; then n=$((n + 1))
			elif [ -z "$first" ] && [[ ! $l =~ $other ]]; then first=$l
			fi
			# an 80-column terminal shows every line whole (help lines are wrapped by the layer)
			[ "${#l}" -le 80 ] || { echo "over 80 columns: $l"; false; }
		done <<<"$output"
		[ "$n" -ge 2 ]
		[[ $first == "Exit status: 0 "* ]]
		[[ $output == *"2 trouble"* ]]
		h=$output
		xrun -0 "$t" -h
		[ "$output" = "$h" ]
	done
}

@test "cli: --help and -h print the shared layout on stdout and exit 0" {
	notrace help_layout
}

# bats test_tags=full
@test "cli: --version and -V print the same line; unknown options exit 2 with the usage" {
	local v h
	v=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
	for t in "${TOOLS[@]}"; do
		xrun -0 "$t" --version
		[ "$output" = "$t ctlkit $v" ]
		xrun -0 "$t" -V
		[ "$output" = "$t ctlkit $v" ]
		xrun -2 --separate-stderr "$t" --no-such-option
		[ -z "$output" ]
		[ "${stderr_lines[0]}" = "$t: --no-such-option: unknown option" ]
		h=$("$t" --help)
		[ "${stderr_lines[1]}" = "${h%%$'\n'*}" ]
		xrun -2 --separate-stderr "$t" -Z
		[ "${stderr_lines[0]}" = "$t: -Z: unknown option" ]
	done
}

@test "cli: options after operands count, as getopt_long always let them (scripts rely on it)" {
	echo hello >a.cnf.xml
	xrun -0 ctl-dump -b ITLFile.tlv
	local want=$output
	xrun -0 ctl-dump ITLFile.tlv -b
	[ "$output" = "$want" ]
	# the order issue 13's --sign-file takes: the file first, then the key and the signer
	xrun -0 itl-build --sign-file a.cnf.xml -k store/CallManager/CallManager.key \
		--signer store/CallManager/CallManager.pem --now $NOW
	xrun -0 ctl-dump a.cnf.xml.sgn --signer store/CallManager/CallManager.pem -b
	[[ $output == VERIFIED* ]]
	xrun -0 cert-expiry store -j --now $NOW
	[ "$(jq -r .tool <<<"$output")" = cert-expiry ]
	xrun -2 --separate-stderr ctl-dump ITLFile.tlv --no-such-option
	[ "${stderr_lines[0]}" = "ctl-dump: --no-such-option: unknown option" ]
	xrun -2 --separate-stderr ctl-dump ITLFile.tlv -Z
	[ "${stderr_lines[0]}" = "ctl-dump: -Z: unknown option" ]
	# "--" still ends the options: a file named like one is a file
	xrun -2 --separate-stderr ctl-dump -- -b
	[[ ${stderr_lines[0]} == "ctl-dump: -b"* ]]
}

# help_is_synopsis: the body of the test below, run by notrace (its loops read text with builtins:
# Bats' trace would cost more than they do).
help_is_synopsis() {
	local help h m u s l syn in
	for t in "${TOOLS[@]}"; do
		help=$("$t" --help)
		help_opts "$help" && h=$REPLY
		man_opts "$t" && m=$REPLY
		[ -n "$h" ] && [ -n "$m" ]
		same_set "$h" "$m"
		# and the usage line is the SYNOPSIS, word for word: --help up to its first empty
		# line, "usage: " and indents gone; the SYNOPSIS mandoc shows, indents gone
		u=
		while IFS= read -r l; do
			[ -n "$l" ] || { u+=$'\n'; break; }
			l=${l#usage: } l=${l#"${l%%[! ]*}"}
			u+=$l$'\n'
		done <<<"$help"
		syn=$(MANWIDTH=200 mandoc -Tutf8 "$TOP/man/$t.1" | col -bx)
		s= in=0
		while IFS= read -r l; do
			if [ $in = 0 ]; then [[ $l != SYNOPSIS* ]] || in=1; continue; fi
			[[ $l != DESCRIPTION* ]] || break
			l=${l#"${l%%[! ]*}"}
			s+=$l$'\n'
		done <<<"$syn"
		squeeze "$u" && u=$REPLY
		squeeze "$s"
		[ "$u" = "$REPLY" ]
	done
}

@test "cli: every option of --help is in the man SYNOPSIS and every SYNOPSIS option in --help" {
	notrace help_is_synopsis
}

# tofull CMD...: CMD with its standard output on /dev/full
tofull() {
	"$@" >/dev/full
}

@test "cli: --help and --version to a full disk exit 2" {
	for t in "${TOOLS[@]}"; do
		xrun -2 --separate-stderr tofull "$t" --help
		[[ $stderr == "$t: stdout: "* ]]
		xrun -2 tofull "$t" --version
		xrun -2 tofull "$t" -h
	done
}

# bats test_tags=full
@test "cli: every JSON document starts with tool and version and parses" {
	local v k=store/CallManager/CallManager.key c=store/CallManager/CallManager.pem b u l
	local -a docs got
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
	mapfile -t docs <all.jsonl
	[ "${#docs[@]}" -eq 13 ]
	for l in "${docs[@]}"; do [ -n "$l" ]; done
	# one jq over the 13 documents (as many as lines: each line is one document)
	mapfile -t got < <(jq -c -s 'length, (.[] | [keys_unsorted[0], keys_unsorted[1], .version, .tool]),
	    (.[11] | .tool + " " + .backup_tool)' all.jsonl)
	[ "${got[0]}" = 13 ]
	local want=(ctl-dump ctl-dump itl-build cert-regen trust-prune cert-expiry cert-expiry cert-expiry
	    itl-build ctl-dump cert-regen trust-prune cert-regen) i
	for i in "${!want[@]}"; do
		[ "${got[i + 1]}" = "[\"tool\",\"version\",\"$v\",\"${want[i]}\"]" ]
	done
	# the restore names the tool that made the backup apart from the one writing
	[ "${got[14]}" = '"trust-prune cert-regen"' ]
}

# bats test_tags=full
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

# bats test_tags=full
@test "cli: old spellings still work, the same as the new, and say so once" {
	local c=store/CallManager/CallManager.pem k=store/CallManager/CallManager.key
	# ctl-dump -c is --certs
	xrun -0 --separate-stderr ctl-dump -c ITLFile.tlv
	[ "$output" = "$(ctl-dump --certs ITLFile.tlv)" ]
	[ "$stderr" = "ctl-dump: -c is deprecated: use --certs" ]
	# itl-build --timestamp UNIX is --now @UNIX; --trusted is -t/--trust
	itl-build -k $k --sast $c --now @1800000000 >new.tlv
	xrun -0 --separate-stderr itl-build -k $k --sast $c --timestamp 1800000000 --trusted ITLFile.tlv --trusted ITLFile.tlv -o old.tlv
	cmp new.tlv old.tlv
	[ "${#stderr_lines[@]}" -eq 2 ]
	[ "${stderr_lines[0]}" = "itl-build: --timestamp is deprecated: use --now" ]
	[ "${stderr_lines[1]}" = "itl-build: --trusted is deprecated: use -t or --trust" ]
	# cert-expiry -t is --threshold (twice: one note)
	xrun -1 --separate-stderr cert-expiry --now $NOW -w 1 -c 0.5 -t CallManager=200:1 -t CallManager-trust=200:1 -s store
	[ "$output" = "$(cert-expiry --now $NOW -w 1 -c 0.5 --threshold CallManager=200:1 --threshold CallManager-trust=200:1 -s store)" ]
	[ "$(grep -c . <<<"$output")" -eq 2 ]
	[ "$stderr" = "cert-expiry: -t is deprecated: use --threshold" ]
	# trust-prune -k is --keep-in, -a is --apply
	xrun -0 --separate-stderr trust-prune -s store --now $NOW -k ITLFile.tlv -k ITLFile.tlv
	[ "$stderr" = "trust-prune: -k is deprecated: use --keep-in" ]
	cp -a store s2
	mkcerts s2/CallManager-trust <<<"gone|20100101000000Z|20200101000000Z|/CN=gone"
	rm s2/CallManager-trust/gone.key
	xrun -0 --separate-stderr trust-prune -s s2 --now $NOW -a
	[[ ${stderr_lines[0]} == "trust-prune: -a is deprecated: use --apply" ]]
	[ ! -e s2/CallManager-trust/gone.pem ]
	# cert-regen --trust LIST is --trust-stores LIST
	xrun -0 --separate-stderr cert-regen -s store -n -j --now $NOW --trust none CallManager
	[ "$stderr" = "cert-regen: --trust is deprecated: use --trust-stores" ]
	[ "$(jq -c '[.files[].path]' <<<"$output")" = "$(cert-regen -s store -n -j --now $NOW \
		--trust-stores none CallManager | jq -c '[.files[].path]')" ]
	[ "$(jq -c '[.files[].path]' <<<"$output")" != "$(cert-regen -s store -n -j --now $NOW \
		CallManager | jq -c '[.files[].path]')" ]
}

# bats test_tags=full
@test "cli: bad numbers, days and times have one wording and exit 2 with the usage" {
	xrun -2 --separate-stderr cert-expiry --warning x
	[ "${stderr_lines[0]}" = 'cert-expiry: --warning: not a number of days: "x"' ]
	[[ ${stderr_lines[1]} == "usage: cert-expiry "* ]]
	xrun -2 --separate-stderr cert-expiry -c -1
	[ "${stderr_lines[0]}" = 'cert-expiry: --critical: not a number of days: "-1"' ]
	xrun -2 --separate-stderr trust-prune -e 3d
	[ "${stderr_lines[0]}" = 'trust-prune: --expiring: not a number of days: "3d"' ]
	for t in cert-expiry trust-prune cert-regen itl-build; do
		xrun -2 --separate-stderr "$t" --now yesterday
		[ "${stderr_lines[0]}" = "$t: --now: not a time (YYYY-MM-DDTHH:MM:SSZ or @UNIX): \"yesterday\"" ]
	done
	xrun -2 --separate-stderr cert-regen --bits 12 CallManager
	[ "${stderr_lines[0]}" = 'cert-regen: --bits: not a number from 1024 to 16384: "12"' ]
	xrun -2 --separate-stderr cert-regen --trust-stores a-trust,b-trust,c-trust,d-trust,e-trust CallManager
	[ "${stderr_lines[0]}" = 'cert-regen: --trust-stores: more than 4 names' ]
	xrun -2 --separate-stderr itl-build --digest md5
	[ "${stderr_lines[0]}" = 'itl-build: --digest: not sha1, sha256 or sha512: "md5"' ]
	# --wait: one parser, one wording, in every tool that waits for a store
	for t in trust-prune cert-regen itl-build; do
		xrun -2 --separate-stderr "$t" --wait soon
		[ "${stderr_lines[0]}" = "$t: --wait: not a number from 0 to 86400: \"soon\"" ]
		[[ ${stderr_lines[1]} == "usage: $t "* ]]
	done
	xrun -2 --separate-stderr cert-expiry --max-depth -1
	[ "${stderr_lines[0]}" = 'cert-expiry: --max-depth: not a number from 0 to 4096: "-1"' ]
	xrun -2 --separate-stderr cert-expiry --exclude-serial xyz
	[ "${stderr_lines[0]}" = 'cert-expiry: --exclude-serial: not a serial number in hex: "xyz"' ]
}

# bats test_tags=full
@test "cli: mandoc -Tlint -Wstyle is clean on every page, ctlkit(7) included" {
	need_cmd mandoc mandoc
	mkdir -p m/man1 m/man7
	cp "$TOP"/man/*.1 m/man1/ && cp "$TOP"/man/*.7 m/man7/
	# own pages are looked up in m/ (cross references); system pages in the usual place
	xrun -0 --separate-stderr env MANPATH="$PWD/m:/usr/share/man" mandoc -Tlint -Wstyle \
		"$TOP"/man/*.1 "$TOP"/man/ctlkit.7
	[ -z "$output" ]
	[ -z "$(grep -E 'STYLE|WARNING|ERROR|UNSUPP' <<<"$stderr")" ]
	[ -f "$TOP/man/ctlkit.7" ]
	# no page or help text sends a user to a file of the sources
	! grep -n 'CUCM\.md\|FORMAT\.md\|STYLE\.md\|issue #\?[0-9]' "$TOP"/man/*
	for t in "${TOOLS[@]}"; do ! "$t" --help | grep 'CUCM\.md\|FORMAT\.md'; done
}

# completions: the body of the test below, run by notrace (its loops read text with builtins:
# Bats' trace would cost more than they do).
completions() {
	: >x.tlv; : >y.pem; mkdir -p d
	local out l opt='--[a-z0-9-]*' rest
	local -A got
	for t in "${TOOLS[@]}"; do
		[ -f "$TOP/completion/$t" ]
		# the generated file is what the tool prints now
		diff "$TOP/completion/$t" <("$t" --bash-completion)
		# one bash: complete -p, then the completions of "--"
		out=$(bash -c "source '$TOP/completion/$t'; complete -p $t; COMP_WORDS=($t --); COMP_CWORD=1
			_ctlkit_${t//-/_}; printf '%s\n' \"\${COMPREPLY[@]}\"")
		[[ ${out%%$'\n'*} == "complete -F _ctlkit_${t//-/_} $t" ]]
		got=()
		while IFS= read -r l; do got[x$l]=1; done <<<"${out#*$'\n'}"
		# every long option of --help is offered
		rest=$("$t" --help)
		while [[ $rest =~ $opt ]]; do
			rest=${rest#*"${BASH_REMATCH[0]}"}
			[ -n "${got[x${BASH_REMATCH[0]}]:-}" ] || { echo "$t: ${BASH_REMATCH[0]} not offered"; false; }
		done
		# the hidden --bash-completion and old spellings are not offered
		for l in "${!got[@]}"; do
			[[ $l != *--bash-completion* && $l != *--trusted* && $l != *--timestamp* ]]
		done
	done
	# -t takes a trust list: *.tlv and directories
	xrun -0 bash -c "source '$TOP/completion/ctl-dump'; COMP_WORDS=(ctl-dump -t ''); COMP_CWORD=2
		_ctlkit_ctl_dump; printf '%s\n' \"\${COMPREPLY[@]}\" | sort"
	[ "$output" = "$(printf '%s\n' ITLFile.tlv d store x.tlv | sort)" ]
	# cert-regen's operands are the store's own units; trust-prune's its trust units
	xrun -0 bash -c "source '$TOP/completion/cert-regen'; COMP_WORDS=(cert-regen -s store C); COMP_CWORD=3
		_ctlkit_cert_regen; printf '%s\n' \"\${COMPREPLY[@]}\""
	[ "$output" = CallManager ]
	xrun -0 bash -c "source '$TOP/completion/trust-prune'; COMP_WORDS=(trust-prune -s store ''); COMP_CWORD=3
		_ctlkit_trust_prune; printf '%s\n' \"\${COMPREPLY[@]}\""
	[ "$output" = CallManager-trust ]
}

@test "cli: bash completion from the option tables: complete -p, long options, file arguments" {
	notrace completions
}

# bats test_tags=full
@test "cli: make install puts binaries, man pages and completions under DESTDIR" {
	xrun -0 make -s -C "$TOP" install DESTDIR="$PWD/root" PREFIX=/usr
	for t in "${TOOLS[@]}"; do
		[ -x "root/usr/bin/$t" ] && [ -f "root/usr/share/man/man1/$t.1" ]
		cmp "root/usr/share/bash-completion/completions/$t" "$TOP/completion/$t"
	done
	[ -f root/usr/share/man/man7/ctlkit.7 ]
	xrun -0 env MANPATH="$PWD/root/usr/share/man" man -w ctl-dump
	[ "$output" = "$PWD/root/usr/share/man/man1/ctl-dump.1" ]
}

# bats test_tags=full
@test "cli: make's dependency check never installs, it names the command" {
	mkdir stub
	printf '#!/bin/sh\nexit 1\n' >stub/dpkg-query
	printf '#!/bin/sh\ntouch "%s/apt-called"\n' "$PWD" >stub/apt-get
	chmod +x stub/*
	xrun -2 --separate-stderr env PATH="$PWD/stub:$PATH" sh "$TOP/tests/deps.sh" --check gcc mandoc
	[[ $stderr == *"apt-get install -y gcc mandoc"* ]]
	[ ! -e apt-called ]
	# `make` (all) and `make install` use --check, never the installing mode
	xrun -0 make -n -C "$TOP" all install
	! grep -q 'deps.sh --quiet\|apt-get' <<<"$output"
	grep -q 'deps.sh --check' <<<"$output"
	# make deb only checks for the packaging tools; make deps is what installs them
	xrun -0 make -n -C "$TOP" deb
	grep -q 'deps.sh --check .*dpkg-dev debhelper lintian' <<<"$output"
	! grep -q 'deps.sh --quiet\|apt-get' <<<"$output"
	xrun -0 make -n -C "$TOP" deps
	grep -q 'deps.sh .*dpkg-dev debhelper lintian' <<<"$output"
}

# bats test_tags=full
@test "cli: the README names every package make check and make check-full install (the Makefile's lists)" {
	local m r pkgs check full p
	m=$(<"$TOP/Makefile") r=$(<"$TOP/README.md")
	# pkgs NAME: the words of the Makefile's NAME = ... (with its continuation lines)
	pkgs() { awk -v n="$1" '$1 == n && $2 == "=" { on = 1; $1 = $2 = "" } on { c = sub(/\\$/, ""); print; if (!c) exit }' \
		<<<"$m" | tr -s ' \t' '\n' | sed '/^$/d'; }
	# the README's paragraphs (make check's comment, then make check-full's) as words
	check=$(sed -n '/^    make check /,/^    make check-full/p' <<<"$r" | sed '$d' | tr -s ' \t\n#(),;' '\n')
	full=$(sed -n '/^    make check-full/,/^$/p' <<<"$r" | tr -s ' \t\n#(),;' '\n')
	[ -n "$check" ] && [ -n "$full" ]
	for p in $(pkgs BUILD_PKGS) $(pkgs TEST_PKGS); do
		grep -qxF "$p" <<<"$check" || { echo "README: make check does not name $p"; false; }
	done
	# only check-full installs these: make check's paragraph does not name them
	for p in $(pkgs FULL_PKGS); do
		grep -qxF "$p" <<<"$full" || { echo "README: make check-full does not name $p"; false; }
		! grep -qxF "$p" <<<"$check" || { echo "README: make check names $p"; false; }
	done
	[ -n "$(pkgs TEST_PKGS)" ] && [ -n "$(pkgs FULL_PKGS)" ]
}
