/*
 * t_stprune.c: what trust-prune's selection (lib/prune) keeps and selects in the committed
 * store templates (tests/fixtures/stores, made by its make.sh): the verbose view (golden),
 * superseded namesakes, the bundled CA names, issuers found by their EC key among namesakes.
 * The stores are read in place (a dry run's reading, without the lock trust-prune takes);
 * the two that add certificates to the store are copied first. trust-prune.bats keeps the
 * command line: options, exit codes, stdout and stderr, what --apply writes.
 */
#define _GNU_SOURCE	/* memmem, strndup */
#include <glob.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cucm/plan.h"
#include "core/when.h"
#include "prune/prune.h"
#include "prune/pruneout.h"
#include "store/issuer.h"
#include "store/trustset.h"
#include "tl/ctlset.h"
#include "test.h"

#define STORES "tests/fixtures/stores"

/* trust-prune -s store --now NOW [-v] [--keep-in keepin] [units]: its stdout (-v unless quiet). */
static char *dryrun(const char *store, char *const *units, const char *now, const char *keepin,
    int verbose);

static char *
dry(const char *store, char *const *units, const char *now, const char *keepin)
{
	return dryrun(store, units, now, keepin, 1);
}

static char *
dryrun(const char *store, char *const *units, const char *now, const char *keepin, int verbose)
{
	static char *const all[] = { NULL };
	struct trust_set ts;
	struct issuer is = ISSUER_ZERO;
	struct ctlset ks = CTLSET_ZERO;
	struct prune_opts o;
	struct pruneout po;
	struct plan pl;
	struct t_mem m;

	memset(&ts, 0, sizeof(ts));
	memset(&o, 0, sizeof(o));
	memset(&po, 0, sizeof(po));
	memset(&pl, 0, sizeof(pl));
	assert_int(when_parse(now, &o.now), 0);
	o.all = verbose;	/* -v or -j */
	if (keepin != NULL) {
		assert_int(ctlset_add(&ks, keepin), 0);
		o.keepin = &ks;
	}
	assert_int(trustset_read(&ts, store, units != NULL ? units : all, 0), 0);
	assert_true(prune_select(&ts, &o, &is) >= 0);
	po.out = t_mem_open(&m);
	po.verbose = verbose;
	po.now = o.now;
	pruneout_report(&po, &ts, &is, &pl, NULL);
	trustset_free(&ts);
	issuer_free(&is);
	ctlset_free(&ks);
	return t_mem_close(&m);
}

/* The tab-separated fields of each line of text numbered in want (1-based, ascending, ended
 * by 0), as cut -f prints them; lines without a tab whole. */
static char *
cut(const char *text, const int *want)
{
	size_t n = strlen(text);
	char *out = malloc(n + 1), *o = out;
	const char *p = text, *e, *f, *fe;
	int k, w, first;

	while (*p != '\0') {
		e = strchr(p, '\n');
		e = e != NULL ? e : p + strlen(p);
		if (memchr(p, '\t', (size_t)(e - p)) == NULL) {
			memcpy(o, p, (size_t)(e - p));
			o += e - p;
		} else
			for (f = p, k = 1, first = 1; f <= e; f = fe + 1, k++) {
				fe = memchr(f, '\t', (size_t)(e - f));
				fe = fe != NULL ? fe : e;
				for (w = 0; want[w] != 0 && want[w] != k; w++)
					;
				if (want[w] == 0)
					continue;
				if (!first)
					*o++ = '\t';
				memcpy(o, f, (size_t)(fe - f));
				o += fe - f;
				first = 0;
			}
		*o++ = '\n';
		p = *e != '\0' ? e + 1 : e;
	}
	*o = '\0';
	return out;
}

/* unit, file and reasons of each line (trust-prune.bats' picks). */
static char *
picks(const char *text)
{
	static const int f[] = { 1, 2, 6, 0 };

	return cut(text, f);
}

/* How many lines of text the extended regular expression ere matches (grep -c -E). */
static int
grepc(const char *text, const char *ere)
{
	regex_t re;
	const char *p = text, *e;
	char *line;
	int k = 0;

	assert_int(regcomp(&re, ere, REG_EXTENDED | REG_NOSUB), 0);
	for (; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchr(p, '\n');
		e = e != NULL ? e : p + strlen(p);
		line = strndup(p, (size_t)(e - p));
		k += regexec(&re, line, 0, NULL, 0) == 0;
		free(line);
	}
	regfree(&re);
	return k;
}

/* The lines of text that do not hold sub (grep -v), each with its newline. */
static char *
grepv(const char *text, const char *sub)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	const char *p = text, *e;

	for (; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchr(p, '\n');
		e = e != NULL ? e : p + strlen(p);
		if (memmem(p, (size_t)(e - p), sub, strlen(sub)) == NULL) {
			memcpy(o, p, (size_t)(e - p));
			o += e - p;
			*o++ = '\n';
		}
	}
	*o = '\0';
	return out;
}

/* A scratch copy of the prune store with the files of more (a store-shaped tree) added. */
static char *
merged(const char *more)
{
	static char dir[64];
	char cmd[512];

	snprintf(dir, sizeof(dir), "/tmp/ctk-unit-prune.XXXXXX");
	assert_true(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd), "cp -r %s/prune/store/. %s/ && cp -r %s/. %s/", STORES, dir, more, dir);
	assert_int(system(cmd), 0);
	return dir;
}


/* trust-prune -s store --now 2026-01-01T00:00:00Z -v --keep-in ITLFile.tlv, serials left out. */
static void
golden(void)
{
	static const int f[] = { 1, 2, 3, 5, 6, 0 };
	char *out = dry(STORES "/prune/store", NULL, "2026-01-01T00:00:00Z", STORES "/prune/ITLFile.tlv");
	char *c = cut(out, f);

	assert_golden(c, "trust-prune.verbose");
	free(c);
	free(out);
}

/* Same subject: the latest notBefore stays, whatever the notAfter (dup_1 2021-2031 goes for
 * dup_2 2022-2030), and names it as superseded_by. */
static void
superseded(void)
{
	static char *const units[] = { "CallManager-trust", NULL };
	struct trust_set ts;
	struct issuer is = ISSUER_ZERO;
	struct prune_opts o;
	char *out = dry(STORES "/prune/store", units, "2026-01-01T00:00:00Z", NULL), *p = picks(out);
	size_t i;
	int seen = 0;

	assert_has(p, "dup_1.pem\tsuperseded");
	assert_has(p, "dup_2.pem\tkeep:valid");
	free(p);
	free(out);
	memset(&ts, 0, sizeof(ts));
	memset(&o, 0, sizeof(o));
	o.all = 1;
	assert_int(when_parse("2026-01-01T00:00:00Z", &o.now), 0);
	assert_int(trustset_read(&ts, STORES "/prune/store", units, 0), 0);
	assert_true(prune_select(&ts, &o, &is) >= 0);
	for (i = 0; i < ts.ncerts; i++)
		if (strcmp(ts.files[ts.certs[i].file].name, "dup_1.pem") == 0) {
			assert_true(ts.certs[i].sel & PRUNE_SUPERSEDED);
			assert_str(ts.files[ts.certs[ts.certs[i].by].file].name, "dup_2.pem");
			seen++;
		}
	trustset_free(&ts);
	issuer_free(&is);
	assert_int(seen, 1);
}

/* Every bundled CA name is protected (CN, any case); a near name is not. */
static void
bundled(void)
{
	static char *const units[] = { "Phone-trust", NULL };
	char *out = dry(STORES "/prune/bundled", units, "2026-01-01T00:00:00Z", NULL), *p = picks(out);
	char *v = grepv(p, "keep:");

	assert_int(grepc(out, "\tkeep:bundled-ca\\(expired\\)$"), 12);
	assert_str(v, "Phone-trust\tnot_bundled.pem\texpired\n");
	free(v);
	free(p);
	free(out);
}

/* ECDSA issuers are found by their key (ec_ca.pem, and ec_ca2.pem of the same key); a namesake
 * of another key goes. */
static void
ecdsa(void)
{
	static char *const units[] = { "CallManager-trust", NULL };
	char *d = merged(STORES "/prune/ecdsa"), *out, *p;

	out = dry(d, units, "2040-01-01T00:00:00Z", NULL);
	t_rmtree(d);
	p = picks(out);
	assert_has(p, "\tec_ca.pem\tkeep:issuer(");
	assert_has(p, "\tec_ca2.pem\tkeep:issuer(");
	assert_has(p, "\tec_other.pem\texpired");
	free(p);
	free(out);
}

/* Among four EC namesakes of other keys per curve (P-256, P-384, P-521), read before it, the
 * issuer of an own certificate is found (tests/fixtures/ecnamesakes). */
static void
namesakes(void)
{
	static char *const units[] = { "CallManager-trust", NULL };
	static const char *const curves[] = { "prime256v1", "secp384r1", "secp521r1" };
	char *d = merged("tests/fixtures/ecnamesakes"), *out, *p, s[96];
	size_t i;

	out = dry(d, units, "2040-01-01T00:00:00Z", NULL);
	t_rmtree(d);
	p = picks(out);
	for (i = 0; i < 3; i++) {
		snprintf(s, sizeof(s), "\tz_%s.pem\tkeep:issuer(", curves[i]);
		assert_has(p, s);
		snprintf(s, sizeof(s), "^CallManager-trust\ta_%s_[1-4]\\.pem\t.*\texpired[a-z,]*$", curves[i]);
		assert_int(grepc(out, s), 4);
	}
	free(p);
	free(out);
}

/* mkissuers DIR N ABSENT SHARED (tests/tools/mkissuers) into a scratch directory: its path. */
static char *
mkissuers(const char *args)
{
	static char dir[64];
	char cmd[256];

	if (access("tests/bin/mkissuers", X_OK) != 0)
		t_skip("tests/bin/mkissuers is not built (make check builds it)");
	snprintf(dir, sizeof(dir), "/tmp/ctk-unit-issuers.XXXXXX");
	assert_true(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd), "tests/bin/mkissuers %s/s %s", dir, args);
	assert_int(system(cmd), 0);
	return dir;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * "COUNT FILE SELECTED KEEP ISSUER_OF" of every certificate of store as trust-prune -j --now
 * 2030-01-01 reports it (the file's first number as N; KEEP the protections joined by ",",
 * ISSUER_OF or "-"), alike lines counted (sort | uniq -c), one a line.
 */
static char *
issuers(const char *store)
{
	static char *const all[] = { NULL };
	struct trust_set ts;
	struct issuer is = ISSUER_ZERO;
	struct prune_opts o;
	struct t_mem m;
	char **v, *line, name[256], keep[256];
	const struct trust_cert *c;
	const struct trust_file *f;
	size_t i, n = 0, k, d, e;
	unsigned b;
	FILE *fp;

	memset(&ts, 0, sizeof(ts));
	memset(&o, 0, sizeof(o));
	o.all = 1;
	assert_int(when_parse("2030-01-01T00:00:00Z", &o.now), 0);
	assert_int(trustset_read(&ts, store, all, 0), 0);
	assert_true(prune_select(&ts, &o, &is) >= 0);
	v = calloc(ts.ncerts + 1, sizeof(*v));
	for (i = 0; i < ts.ncerts; i++) {
		c = &ts.certs[i];
		f = &ts.files[c->file];
		if (!f->inscope)
			continue;
		/* sub("[0-9]+"; "N") */
		d = strcspn(f->name, "0123456789");
		e = d + strspn(f->name + d, "0123456789");
		snprintf(name, sizeof(name), "%.*s%s%s", (int)d, f->name, e > d ? "N" : "", f->name + e);
		keep[0] = '\0';
		for (b = 1; b != 0 && b <= c->keep; b <<= 1)
			if (c->keep & b)
				snprintf(keep + strlen(keep), sizeof(keep) - strlen(keep), "%s%s",
				    keep[0] != '\0' ? "," : "", prune_keep_name(b));
		k = strlen(name) + strlen(keep) + (c->issuer_of != NULL ? strlen(c->issuer_of) : 1) + 16;
		line = malloc(k);
		snprintf(line, k, "%s %s %s %s", name, f->go == 1 ? "true" : "false", keep,
		    c->issuer_of != NULL ? c->issuer_of : "-");
		v[n++] = line;
	}
	trustset_free(&ts);
	issuer_free(&is);
	qsort(v, n, sizeof(*v), cmpstr);
	fp = t_mem_open(&m);
	for (i = 0; i < n; i = k) {
		for (k = i; k < n && strcmp(v[k], v[i]) == 0; k++)
			;
		fprintf(fp, "%s%zu %s", i > 0 ? "\n" : "", k - i, v[i]);
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return t_mem_close(&m);
}

static int
globn(const char *pattern)
{
	glob_t g;
	int n;

	n = glob(pattern, 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
	globfree(&g);
	return n;
}

/* Own certificates whose issuers the store does not hold mark nothing; namesakes with another
 * key go (mkissuers: 200 hosts, 6 absent issuers, no shared key). */
static void
absent(void)
{
	char *d = mkissuers("200 6 0"), p[128], *out, *got;

	snprintf(p, sizeof(p), "%s/s/absent-*", d);
	assert_int(globn(p), 6);
	snprintf(p, sizeof(p), "%s/s", d);
	out = dryrun(p, NULL, "2030-01-01T00:00:00Z", NULL, 0);
	got = issuers(p);
	t_rmtree(d);
	assert_int(grepc(out, "."), 207);	/* every one selected, a line each */
	assert_str(got, "6 absent_CA_N.pem true  -\n200 host-N.pem true  -\n1 inter.pem true  -");
	free(got);
	free(out);
}

/* rm -r DIR/s/UNIT for each unit named in units (space-separated). */
static void
rmunits(const char *d, const char *units)
{
	char path[512], *u, *list = strdup(units), *sv = NULL;

	for (u = strtok_r(list, " ", &sv); u != NULL; u = strtok_r(NULL, " ", &sv)) {
		snprintf(path, sizeof(path), "%s/s/%s", d, u);
		t_rmtree(path);
	}
	free(list);
}

/* DIR/s/UNIT moved to DIR/UNIT (out), or back. */
static void
aside(const char *d, const char *unit, int out)
{
	char a[256], b[256];

	snprintf(a, sizeof(a), "%s/s/%s", d, unit);
	snprintf(b, sizeof(b), "%s/%s", d, unit);
	if (rename(out ? a : b, out ? b : a) != 0)
		t_fail(__FILE__, __LINE__, "%s: cannot move %s", out ? a : b, out ? "aside" : "back");
}

/* An issuer key shared by every trust certificate keeps them all, by name, by key id, through
 * a chain (mkissuers: 300 hosts, the shared key behind three own certificates). */
static void
shared(void)
{
	char *d = mkissuers("300 3 1"), p[128], *got, *out;

	snprintf(p, sizeof(p), "%s/s", d);
	got = issuers(p);
	assert_str(got, "3 absent_CA_N.pem true  -\n300 host-N.pem false issuer CallManager/CallManager.pem\n"
	    "1 inter.pem false issuer ipsec/ipsec.pem");
	free(got);
	/* by the issuer name only (no key identifier in CallManager.pem) */
	rmunits(d, "ipsec tomcat");
	got = issuers(p);
	assert_str(got, "3 absent_CA_N.pem true  -\n300 host-N.pem false issuer CallManager/CallManager.pem\n"
	    "1 inter.pem true  -");
	free(got);
	t_rmtree(d);
	/* by the authority key identifier only (tomcat.pem names an issuer the store does not
	 * hold); then through an intermediate with a key of its own, named by ipsec.pem: one
	 * store, the unit each case leaves out moved aside (rename: no second mkissuers) */
	d = mkissuers("300 0 1");
	snprintf(p, sizeof(p), "%s/s", d);
	rmunits(d, "CallManager");
	aside(d, "ipsec", 1);
	got = issuers(p);
	assert_str(got, "300 host-N.pem false issuer tomcat/tomcat.pem\n1 inter.pem true  -");
	free(got);
	aside(d, "ipsec", 0);
	aside(d, "tomcat", 1);
	got = issuers(p);
	{
		static char *const units[] = { "tomcat-trust", NULL };

		out = dryrun(p, units, "2030-01-01T00:00:00Z", NULL, 1);
	}
	t_rmtree(d);
	assert_str(got, "300 host-N.pem false issuer ipsec/ipsec.pem\n1 inter.pem false issuer ipsec/ipsec.pem");
	assert_int(grepc(out, "^tomcat-trust\thost-[0-9]*\\.pem\t.*\tkeep:issuer\\(expired\\)$"), 150);
	assert_int(grepc(out, "^tomcat-trust\tinter\\.pem\t.*\tkeep:issuer\\(expired\\)"), 1);
	free(got);
	free(out);
}

const struct t_case t_stprune[] = {
	{ "stprune: verbose dry run of the fixture store (golden trust-prune.verbose, serials left out)", golden },
	{ "stprune: same subject: the latest notBefore stays, whatever the notAfter", superseded },
	{ "stprune: every bundled CA name is protected (CN, any case)", bundled },
	{ "stprune: ECDSA issuers are found by their key too (CallManager-ECDSA)", ecdsa },
	{ "stprune: among many EC namesakes of other keys the issuer is found (P-256, P-384, P-521)", namesakes },
	{ "stprune: own certificates with absent issuers mark nothing; a namesake with another key goes", absent },
	{ "stprune: an issuer key shared by every trust certificate keeps them all, by name, by key id, through a chain", shared },
	{ NULL, NULL }
};
