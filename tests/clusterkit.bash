# clusterkit.bash: a three-node offline cluster for the runbook and live-cluster tests
# (runbook.bats, live.bats). Loaded after helpers.
#
#   clusterkit_tpl TPL          node stores cucm-pub (with CAPF and ITLRecovery), cucm-sub1 and
#                               cucm-sub2 under TPL, each unit a self-signed RSA-1024 leaf with its
#                               key, CallManager-trust replicated (made once per file)
#   clusterkit_mk DIR TPL A1 A2 A3
#                               DIR/nodes (cucm-pub publisher tftp at A1, cucm-sub1 tftp at A2,
#                               cucm-sub2 at A3) and a copy of the three stores

# clusterkit_unit DIR UNIT CN: DIR/UNIT/UNIT.pem and its key (0600). RSA-1024 from mkkey's pool:
# the plans do not depend on the size, and cert-regen keeps each key's size, so runs stay cheap.
clusterkit_unit() {
	mkdir -p "$1/$2"
	MKCERT_BITS=1024 mkcert "$1/$2" "$2" 400 "/O=Example/CN=$3" -addext basicConstraints=CA:FALSE
}

clusterkit_tpl() {
	local t=$1 n m
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		clusterkit_unit "$t/$n" CallManager "$n"
		clusterkit_unit "$t/$n" tomcat "$n.example.com"
		clusterkit_unit "$t/$n" ipsec "$n"
		clusterkit_unit "$t/$n" TVS "$n"
		mkdir -p "$t/$n/CallManager-trust"
	done
	clusterkit_unit "$t/cucm-pub" CAPF CAPF-1a2b3c4d
	clusterkit_unit "$t/cucm-pub" ITLRecovery ITLRECOVERY_cucm-pub
	for n in cucm-pub cucm-sub1 cucm-sub2; do	# CallManager-trust is replicated
		for m in cucm-pub cucm-sub1 cucm-sub2; do
			cp "$t/$m/CallManager/CallManager.pem" "$t/$n/CallManager-trust/$m.pem"
		done
		cp "$t/cucm-pub/CAPF/CAPF.pem" "$t/$n/CallManager-trust/CAPF-1a2b3c4d.pem"
	done
}

clusterkit_mk() {
	local d=$1 t=$2
	mkdir -p "$d"
	printf '# node     address    roles\ncucm-pub   %s   publisher tftp\ncucm-sub1  %s   tftp\ncucm-sub2  %s\n' \
	    "$3" "$4" "$5" >"$d/nodes"
	cp -a "$t/cucm-pub" "$t/cucm-sub1" "$t/cucm-sub2" "$d/"
}
