#!/usr/bin/env bats
# hostile-trust-prune.bats: trust-prune against damaged trust units, planted symlinks and planted backup manifests (tests/hostile.bash).
# bats file_tags=full
load hostile

@test "hostile: trust-prune: damaged files in a trust unit are reported, left in place; the rest is done" {
	need_tool trust-prune
	local f
	cp "$B"/* "$S/CallManager-trust/"
	xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER
	[[ $output == *expired.pem* ]]
	for f in "$B"/*; do
		[[ $stderr == *"trust-prune: $S/CallManager-trust/${f##*/}: "* ]]
	done
	both_clean
	xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER -j
	jq -e . <<<"$output" >/dev/null
	xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
	for f in "$B"/*; do
		cmp "$f" "$S/CallManager-trust/${f##*/}"
	done
	[ ! -e "$S/CallManager-trust/expired.pem" ]
	cmp "$H/expired.pem" "$S"/.backup/*/CallManager-trust/expired.pem
	cmp "$H/valid.pem" "$S/CallManager-trust/valid.pem"
}

@test "hostile: symlinks in a store are never followed out of it, nor moved or deleted through" {
	need_storekit
	need_tool cert-expiry
	local out="$BATS_TEST_TMPDIR/outside" sums
	mkdir -p "$out/dir"
	cp "$H/expired.pem" "$out/expired.pem"
	cp "$H/expired.pem" "$out/dir/expired2.pem"
	cp "$H/ok.pem" "$out/own.pem"
	cp "$H/ok.key" "$out/own.key"
	ln -s "$out/expired.pem" "$S/CallManager-trust/link.pem"
	ln -s "$out/dir" "$S/Phone-trust"
	sums=$(tree "$out")
	xrun --separate-stderr cert-expiry --now $LATER -a -s "$S"
	[[ $output != *"link.pem"* && $output != *"expired2"* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun --separate-stderr trust-prune -s "$S" --now $LATER --apply
		[ "$status" -le 2 ]
		[ -L "$S/CallManager-trust/link.pem" ] && [ -L "$S/Phone-trust" ]
		[ "$(tree "$out")" = "$sums" ]
		[ ! -e "$S/CallManager-trust/expired.pem" ]
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		# an own certificate and key that are symlinks out of the store
		rm "$S/CallManager/CallManager.pem" "$S/CallManager/CallManager.key"
		ln -s "$out/own.pem" "$S/CallManager/CallManager.pem"
		ln -s "$out/own.key" "$S/CallManager/CallManager.key"
		xrun --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[ "$(tree "$out")" = "$sums" ]
		[ "$status" -eq 2 ] || [ ! -L "$S/CallManager/CallManager.key" ]
	fi
	# .backup planted as a symlink would take old keys out of the store
	rm -rf "$S/.backup" "$S/CallManager"
	cp -a "$H/tpl/CallManager" "$S/"
	mkdir "$out/backups"
	ln -s "$out/backups" "$S/.backup"
	if [ -x "$TOP/bin/cert-regen" ]; then
		xrun -2 --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[[ $stderr == *".backup: symbolic link"* ]]
		cmp "$H/tpl/CallManager/CallManager.key" "$S/CallManager/CallManager.key"
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		cp "$H/expired.pem" "$S/CallManager-trust/expired.pem"
		xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
		cmp "$H/expired.pem" "$S/CallManager-trust/expired.pem"
	fi
	[ -z "$(ls -A "$out/backups")" ]
}

@test "hostile: a planted backup manifest never makes a restore reach outside the store" {
	local v="$BATS_TEST_TMPDIR/victim" sum b
	echo victim >"$v"
	sum=$(sha256sum <"$v" | cut -d' ' -f1)
	if [ -x "$TOP/bin/trust-prune" ]; then
		for p in "CallManager-trust/../../victim" "../victim" "/$v" "CallManager-trust/x/../../../victim"; do
			b="$S/.backup/20200101T000000Z-trust-prune"
			rm -rf "$S/.backup"
			mkdir -p "$b/CallManager-trust"
			printf '# trust-prune manifest 1\n%s\t%s\tCN=x\t01\t2020-01-01T00:00:00Z\texpired\n' \
				"$p" "$sum" >"$b/manifest"
			echo planted >"$b/victim"
			xrun -2 --separate-stderr trust-prune -r "$b"
			[ "$(cat "$v")" = victim ]
		done
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		for p in "put	../victim" "remove	../victim" "replace	../victim" "put	/$v" "replace	$v"; do
			b="$S/.backup/20200101T000000Z-cert-regen"
			rm -rf "$S/.backup"
			mkdir -p "$b"
			printf '# planted\n%s\n' "$p" >"$b/MANIFEST"
			echo planted >"$b/victim"
			echo planted >"$S/.backup/victim"
			xrun --separate-stderr cert-regen -y -s "$S" --restore "$b"
			[ "$status" -le 2 ]
			[ "$(cat "$v")" = victim ]
		done
	fi
}
