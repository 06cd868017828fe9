/*
 * t_report.c: cert-expiry's walk and reports (lib/report over lib/x509/expiry), by its run as
 * its main calls it (reportcmd), over certificates made here with fixed dates (t_mkcert: in
 * process, signed by a committed key of tests/fixtures/keys: no openssl process, no key
 * generation): --all, a store's units and types, per-unit thresholds, trust-list records, the
 * bundled samples, a directory walk, malformed operands, CUCM's alarm lines and bands, the Nagios
 * plugin's lines and codes, the Prometheus lines, names with control bytes.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <regex.h>


#include "core/diag.h"
#include "core/when.h"
#include "report/reportcmd.h"
#include "x509/expiry.h"
#include "test.h"
#include "unit.h"

#define NOW "2027-01-01T00:00:00Z"
#define CRIT3 "CERT-EXPIRY CRITICAL - 3 certificates: 0 expired, 1 critical, 1 warning, " \
	"0 not yet valid, 1 ok;"

static char dir[64];

/* A new temporary directory in dir. */
static void
mkdir_tmp(void)
{
	strcpy(dir, "/tmp/ctk-unit-report-XXXXXX");
	if (mkdtemp(dir) == NULL)
		t_fail(__FILE__, __LINE__, "%s: cannot make", dir);
}

/*
 * A certificate valid NB..NA ("YYYYMMDDHHMMSSZ"), self-signed by rsa1024-1 (t_mkcert), in
 * dir/NAME.pem, or appended to dir/FILE (a bundle; DER when it ends in .der) when FILE is not
 * NULL. Its subject is CN=NAME, or SUBJ when given ("CN=x/O=y").
 */
static void
mkcert_subj(const char *name, const char *subj, const char *nb, const char *na, const char *file)
{
	char path[256], cn[128];
	const char *nm = name != NULL ? name : "";

	if (file != NULL)
		snprintf(path, sizeof(path), "%s/%s", dir, file);
	else
		snprintf(path, sizeof(path), "%s/%s.pem", dir, nm);
	snprintf(cn, sizeof(cn), "CN=%s", nm);
	t_mkcert(path, subj != NULL ? subj : cn, "tests/fixtures/keys/rsa1024-1.key", nb, na,
	    0x5E1A1, file != NULL);
}

static void
mkcert(const char *name, const char *nb, const char *na, const char *file)
{
	mkcert_subj(name, NULL, nb, na, file);
}

/* What cert-expiry's options set (src/cert-expiry.c), for report_run. */
struct ropt {
	enum report_fmt	 fmt;
	double		 warn, crit;	/* -w, -c in days: 0 0 are the defaults, 30 and 7 */
	const char	*store;		/* -s */
	int		 all, verbose;	/* -a, -v */
	long		 depth;		/* --max-depth, 0 for none (-1) */
	const char	*rules[3];	/* -t UNIT=WARN:CRIT..., NULL-ended */
	const char	*node, *cluster;	/* --node, --cluster (alarm fields) */
};

/*
 * cert-expiry OPTIONS --now NOW over the NULL-ended operands, run in dir (the names relative
 * to it, as a user in that directory gives them): what it prints in *out and on stderr in *err
 * (malloc'd), its exit status returned.
 */
static int report_run_at(const struct ropt *o, const char *now, const char *const *names,
    char **out, char **err);

static int
report_run(const struct ropt *o, const char *const *names, char **out, char **err)
{
	return report_run_at(o, NOW, names, out, err);
}

/* report_run at the time now: cert-expiry's run (lib/report/reportcmd) as its main calls it. */
static int
report_run_at(const struct ropt *o, const char *now, const char *const *names, char **out,
    char **err)
{
	struct reportcmd c;
	struct t_mem m;
	int rc, back = open(".", O_RDONLY | O_DIRECTORY);
	size_t i;

	if (back < 0 || chdir(dir) != 0)
		t_fail(__FILE__, __LINE__, "%s: cannot enter", dir);
	reportcmd_init(&c);
	if (when_parse(now, &c.ex.now) != 0)
		abort();
	if (o->warn > 0 || o->crit > 0) {
		c.ex.warn = (int64_t)(o->warn * 86400);
		c.ex.crit = (int64_t)(o->crit * 86400);
	}
	for (i = 0; i < 3 && o->rules[i] != NULL; i++)
		if (expiry_rule_add(&c.ex, o->rules[i]) != 0)
			abort();
	c.fmt = o->fmt;
	c.store = o->store;
	c.node = o->node;
	c.cluster = o->cluster;
	c.all = o->all;
	c.verbose = o->verbose;
	if (o->depth != 0)
		c.depth = o->depth;
	setprogname("cert-expiry");	/* diagnostics and JSON name the tool, as its own do */
	t_err_begin();
	rc = reportcmd(&c, (char **)names, t_mem_open(&m));
	*err = t_err_end();
	setprogname("unit");
	reportcmd_free(&c);
	*out = t_mem_close(&m);
	if (fchdir(back) != 0)
		abort();
	close(back);
	return rc;
}

/* cert-expiry -w WARN -c CRIT in format fmt over names (report_run). */
static int
expiry_run(enum report_fmt fmt, double warn, double crit, const char *const *names, char **out,
    char **err)
{
	struct ropt o = { .fmt = fmt, .warn = warn, .crit = crit };

	return report_run(&o, names, out, err);
}

/* s ends with suf */
static int
ends(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && strcmp(s + n - k, suf) == 0;
}

/* The first line of s that starts with start, without its newline (static), or "". */
static const char *
line(const char *s, const char *start)
{
	static char l[1024];
	const char *p;
	size_t n;

	for (p = s; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, start, strlen(start)) == 0) {
			n = strcspn(p, "\n");
			snprintf(l, sizeof(l), "%.*s", (int)n, p);
			return l;
		}
	return "";
}

/* s with every "DIR/" (the temporary directory) taken out, in place. */
static char *
nodir(char *s)
{
	size_t n = strlen(dir);
	char *p;

	while ((p = strstr(s, dir)) != NULL && p[n] == '/')
		memmove(p, p + n + 1, strlen(p + n + 1) + 1);
	return s;
}

/* CUCM's alarm names by days left (12, 7, 1, 0, -1), whatever -c says (14 or 3). */
static void
alarm_bands(void)
{
	static const struct { const char *name, *na, *want, *text; } b[] = {
		{ "band12", "20270113000000Z", "4-CertExpiresSoon: ",
		    "Certificate expires within the notification period" },
		{ "band7", "20270108000000Z", "2-CertValidfor7days: ",
		    "Alarm to indicate that Certificate has Expired or Expires in less than seven days" },
		{ "band1", "20270102000000Z", "2-CertValidfor7days: ",
		    "Alarm to indicate that Certificate has Expired or Expires in less than seven days" },
		{ "band0", "20270101000000Z", "2-CertValidfor7days: ",
		    "Alarm to indicate that Certificate has Expired or Expires in less than seven days" },
		{ "band-1", "20261231000000Z", "0-CertExpired: ",
		    "Certificate has Expired and needs to be changed at the earliest" },
	};
	static const char *const files[] = { "band12.pem", "band7.pem", "band1.pem", "band0.pem",
	    "band-1.pem", NULL };
	static const double crits[] = { 14, 3 };
	const char *one[2] = { NULL, NULL };
	char head[256], tail[256], *out, *err;
	size_t i, c;

	mkdir_tmp();
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		mkcert(b[i].name, "20260101000000Z", b[i].na, NULL);
	for (c = 0; c < 2; c++)
		for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
			one[0] = files[i];
			assert_int(expiry_run(REPORT_ALARM, 30, crits[c], one, &out, &err), 1);
			assert_str(err, "");
			snprintf(head, sizeof(head), "%%UC_CERT-%s%%[Message=Certificate expiration "
			    "Notification. Certificate name:%s.der Unit: Type:cert ", b[i].want, b[i].name);
			snprintf(tail, sizeof(tail), "]: %s\n", b[i].text);
			assert_int(strncmp(out, head, strlen(head)), 0);
			assert_true(ends(out, tail));
			assert_true(strchr(out, '\n') == out + strlen(out) - 1);	/* one line */
			free(out);
			free(err);
		}
	/* -c 14 makes 12 days critical in the table; the alarm stays the notice-period one */
	one[0] = "band12.pem";
	assert_int(expiry_run(REPORT_TABLE, 30, 14, one, &out, &err), 1);
	assert_str(err, "");
	/* one line of seven columns, the seventh critical */
	for (c = i = 0; out[i] != '\0'; i++)
		c += out[i] == '\t';
	assert_int((long long)c, 6);
	assert_true(strchr(out, '\n') == out + strlen(out) - 1);
	assert_true(ends(out, "\tcritical\n"));
	free(out);
	free(err);
	t_rmtree(dir);
}

/* --nagios: the status line with perfdata, long output, and the plugin's exit codes. */
static void
nagios(void)
{
	const char *far[] = { "far.pem", NULL }, *cfar[] = { "c.pem", "far.pem", NULL };
	const char *bundle[] = { "bundle.pem", NULL };
	const char *oldg[] = { "old.pem", "garbage.txt", NULL };
	const char *farg[] = { "far.pem", "garbage.txt", NULL };
	char path[256], *out, *err;
	FILE *fp;

	mkdir_tmp();
	mkcert("far", "20260101000000Z", "20300101000000Z", NULL);
	mkcert("c", "20260101000000Z", "20270120000000Z", NULL);
	mkcert("old", "20250101000000Z", "20261201000000Z", NULL);
	/* cert-expiry.bats' bundle of three where the second expires first */
	mkcert("a", "20260101000000Z", "20270301000000Z", "bundle.pem");
	mkcert("b", "20260101000000Z", "20270105000000Z", "bundle.pem");
	mkcert("c", "20260101000000Z", "20270120000000Z", "bundle.pem");
	snprintf(path, sizeof(path), "%s/garbage.txt", dir);
	if ((fp = fopen(path, "w")) == NULL || fputs("not a certificate\n", fp) == EOF || fclose(fp))
		t_fail(__FILE__, __LINE__, "%s: cannot write", path);

	assert_int(expiry_run(REPORT_NAGIOS, 30, 7, far, &out, &err), NAGIOS_OK);
	assert_str(nodir(out), "CERT-EXPIRY OK - 1 certificate: 0 expired, 0 critical, 0 warning, "
	    "0 not yet valid, 1 ok; 0 files unreadable | 'far.pem'=1096.00;30:;7:;;\n");
	free(out);
	free(err);
	assert_int(expiry_run(REPORT_NAGIOS, 30, 7, cfar, &out, &err), NAGIOS_WARNING);
	assert_has(nodir(out), "CERT-EXPIRY WARNING - 2 certificates: ");
	assert_has(out, "| 'c.pem'=19.00;30:;7:;; 'far.pem'=1096.00;30:;7:;;\n"
	    "c.pem: expires in 19.0 days (warning)\n");
	assert_int(strcmp(strchr(out, '\n'), "\nc.pem: expires in 19.0 days (warning)\n"), 0);
	free(out);
	free(err);
	assert_int(expiry_run(REPORT_NAGIOS, 30, 7, bundle, &out, &err), NAGIOS_CRITICAL);
	assert_int(strncmp(nodir(out), CRIT3, strlen(CRIT3)), 0);
	assert_has(out, " 'bundle.pem#2'=4.00;30:;7:;;");
	free(out);
	free(err);
	assert_int(expiry_run(REPORT_NAGIOS, 30, 7, oldg, &out, &err), NAGIOS_CRITICAL);
	assert_has(nodir(out), "CERT-EXPIRY CRITICAL - 1 certificate: 1 expired,");
	assert_has(out, "1 file unreadable | 'old.pem'=-31.00;30:;7:;;\n"
	    "old.pem: expired 31.0 days ago (expired)\n");
	free(out);
	free(err);
	assert_int(expiry_run(REPORT_NAGIOS, 30, 7, farg, &out, &err), NAGIOS_UNKNOWN);
	assert_int(strncmp(out, "CERT-EXPIRY UNKNOWN - ", 22), 0);
	assert_has(nodir(err), "cert-expiry: garbage.txt: ");
	free(out);
	free(err);
	/* the thresholds given are the perfdata's */
	assert_int(expiry_run(REPORT_NAGIOS, 1200, 1, far, &out, &err), NAGIOS_WARNING);
	assert_has(nodir(out), "'far.pem'=1096.00;1200:;1:;;\n");
	free(out);
	free(err);
	t_rmtree(dir);
}

/* --prometheus: every line a textfile-collector line (the regular expression), the values. */
static void
prometheus(void)
{
	static const char *const files[] = { "bundle.pem", "old.pem", "garbage.txt", NULL };
	static const char *const re = "^(x509_cert_(not_after|not_before|expired|expires_in_seconds)"
	    "\\{file=\"[^\"]*\",index=\"[0-9]+\",unit=\"\",type=\"\",subject=\"([^\"\\\\]|\\\\.)*\","
	    "issuer=\"([^\"\\\\]|\\\\.)*\",serial=\"[0-9A-F]+\"\\}|x509_read_errors) -?[0-9.]+$";
	regex_t rx;
	char path[256], *out, *err, *l, *nl;
	int n = 0, types = 0;
	FILE *fp;

	mkdir_tmp();
	mkcert_subj("a", "CN=alpha/O=Acme, Inc", "20260101000000Z", "20270301000000Z", "bundle.pem");
	mkcert("b", "20260101000000Z", "20270105000000Z", "bundle.pem");
	mkcert("c", "20260101000000Z", "20270120000000Z", "bundle.pem");
	mkcert("old", "20250101000000Z", "20261201000000Z", NULL);
	snprintf(path, sizeof(path), "%s/garbage.txt", dir);
	if ((fp = fopen(path, "w")) == NULL || fputs("not a certificate\n", fp) == EOF || fclose(fp))
		t_fail(__FILE__, __LINE__, "%s: cannot write", path);
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		abort();
	assert_int(expiry_run(REPORT_PROM, 30, 7, files, &out, &err), 2);
	nodir(out);
	for (l = out; *l != '\0'; l = nl + 1) {
		if ((nl = strchr(l, '\n')) == NULL)
			t_fail(__FILE__, __LINE__, "a last line without its newline: %s", l);
		*nl = '\0';
		if (strncmp(l, "# TYPE x509_", 12) == 0 && strlen(l) > 18 &&
		    strcmp(l + strlen(l) - 6, " gauge") == 0 && strspn(l + 12, "abcdefghijklmnopqrstuvwxyz_") ==
		    strlen(l) - 18)
			types++;
		if (strncmp(l, "# HELP ", 7) != 0 && strncmp(l, "# TYPE ", 7) != 0) {
			if (regexec(&rx, l, 0, NULL, 0) != 0)
				t_fail(__FILE__, __LINE__, "not a textfile-collector line: %s", l);
			n++;
		}
		*nl = '\n';
	}
	regfree(&rx);
	assert_int(n, 17);
	assert_int(types, 5);
	assert_true(ends(line(out, "x509_cert_not_after{file=\"bundle.pem\",index=\"2\","), "} 1799107200"));
	assert_true(ends(line(out, "x509_cert_expired{file=\"old.pem\","), "} 1"));
	assert_true(ends(line(out, "x509_cert_expires_in_seconds{file=\"old.pem\","), "} -2678400"));
	assert_has(out, "subject=\"O=Acme\\\\, Inc,CN=alpha\"");
	assert_true(ends(out, "\nx509_read_errors 1\n"));
	free(out);
	free(err);
	t_rmtree(dir);
}

/* Control bytes and UTF-8 in a name: escaped in the table, valid JSON with the same text. */
static void
escaped_names(void)
{
	static const char *const files[] = { "ctl.pem", NULL };
	const char *twice[] = { "ctl.pem", "ctl.pem", NULL };
	char *out, *err;

	mkdir_tmp();
	mkcert_subj("ctl", "CN=tab\there\001/O=caf\303\251", "20260101000000Z", "20270101000000Z",
	    NULL);
	assert_int(expiry_run(REPORT_JSON, 30, 7, twice, &out, &err), 1);
	assert_int(t_json_lines(out, strlen(out)), 1);
	assert_has(out, "\"subject\":\"O=caf\303\251,CN=tab\\\\x09here\\\\x01\"");
	free(out);
	free(err);
	assert_int(expiry_run(REPORT_TABLE, 30, 7, files, &out, &err), 1);
	assert_has(out, "\tO=caf\303\251,CN=tab\\x09here\\x01\t");
	free(out);
	free(err);
	t_rmtree(dir);
}

static void
put(const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL || fputs(text, fp) == EOF || fclose(fp) != 0)
		t_fail(__FILE__, __LINE__, "%s: cannot write", path);
}

/*
 * cert-expiry.bats' fixtures in a new dir: bundle.pem (alpha, bravo, charlie, the second
 * expiring first), b.pem (bravo), c.pem, far.pem, old.pem, garbage.txt, and a store: own
 * tomcat (bravo, with a key), CAPF-trust (charlie), CallManager-trust (far, a README), a
 * .backup holding old.
 */
static void
fixtures(void)
{
	static const char *const dirs[] = { "store", "store/tomcat", "store/CAPF-trust",
	    "store/CallManager-trust", "store/.backup", "store/.backup/x", NULL };
	static const struct { const char *file, *subj, *nb, *na; } c[] = {
		{ "bundle.pem", "CN=alpha/O=Acme, Inc", "20260101000000Z", "20270301000000Z" },
		{ "bundle.pem", "CN=bravo", "20260101000000Z", "20270105000000Z" },
		{ "bundle.pem", "CN=charlie", "20260101000000Z", "20270120000000Z" },
		{ "b.pem", "CN=bravo", "20260101000000Z", "20270105000000Z" },
		{ "c.pem", "CN=charlie", "20260101000000Z", "20270120000000Z" },
		{ "far.pem", "CN=far", "20260101000000Z", "20300101000000Z" },
		{ "old.pem", "CN=old", "20250101000000Z", "20261201000000Z" },
		{ "store/tomcat/tomcat.pem", "CN=bravo", "20260101000000Z", "20270105000000Z" },
		{ "store/CAPF-trust/CAPF-1234abcd.pem", "CN=charlie", "20260101000000Z", "20270120000000Z" },
		{ "store/CallManager-trust/Far_01.pem", "CN=far", "20260101000000Z", "20300101000000Z" },
		{ "store/.backup/x/old.pem", "CN=old", "20250101000000Z", "20261201000000Z" },
	};
	char path[256];
	uint8_t *key;
	size_t i, n;

	mkdir_tmp();
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
		if (mkdir(path, 0700) != 0)
			t_fail(__FILE__, __LINE__, "%s: cannot make", path);
	}
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		mkcert_subj(NULL, c[i].subj, c[i].nb, c[i].na, c[i].file);
	key = t_read("tests/fixtures/keys/rsa1024-1.key", &n);
	put("store/tomcat/tomcat.key", (const char *)key);
	free(key);
	put("store/CallManager-trust/README", "unit notes\n");
	put("garbage.txt", "not a certificate\n");
}

/* Row row, column col (1-based) of tab-separated text (static), or NULL when there is none. */
static const char *
cell(const char *text, int row, int col)
{
	static char c[512];
	const char *p = text, *e;
	int i;

	for (i = 1; i < row; i++)
		if ((p = strchr(p, '\n')) == NULL || *++p == '\0')
			return NULL;
	for (i = 1; i < col; i++) {
		e = p + strcspn(p, "\t\n");
		if (*e != '\t')
			return NULL;
		p = e + 1;
	}
	snprintf(c, sizeof(c), "%.*s", (int)strcspn(p, "\t\n"), p);
	return c;
}

/* Lines of text */
static int
nlines(const char *text)
{
	int n = 0;

	for (; *text != '\0'; text++)
		n += *text == '\n';
	return n;
}

/* --all: the certificates outside the window too, by notAfter. */
static void
all(void)
{
	struct ropt o = { .fmt = REPORT_TABLE, .all = 1 };
	const char *names[] = { "bundle.pem", "far.pem", NULL };
	char *out, *err;

	fixtures();
	assert_int(report_run(&o, names, &out, &err), 1);
	assert_int(nlines(out), 4);
	assert_str(cell(out, 1, 4), "bundle.pem#2");
	assert_str(cell(out, 2, 4), "bundle.pem#3");
	assert_str(cell(out, 3, 4), "bundle.pem#1");
	assert_str(cell(out, 4, 4), "far.pem");
	assert_str(cell(out, 3, 5), "O=Acme\\, Inc,CN=alpha");
	assert_str(cell(out, 4, 7), "ok");
	assert_true(cell(out, 4, 8) == NULL);
	free(out);
	free(err);
	t_rmtree(dir);
}

/* The certificate objects of a JSON report: the n-th (1-based), up to the next (static). */
static const char *
jcert(const char *json, int n)
{
	static char c[2048];
	const char *p = json, *e;
	int i;

	for (i = 0; i < n; i++)
		if ((p = strstr(p + (i > 0), "{\"file\":")) == NULL)
			return "";
	e = strstr(p + 1, "{\"file\":");
	snprintf(c, sizeof(c), "%.*s", (int)(e != NULL ? (size_t)(e - p) : strlen(p)), p);
	return c;
}

/* How many certificate objects a JSON report's "certificates" array holds. */
static int
ncerts(const char *json)
{
	const char *p = strstr(json, "\"certificates\":["), *e;
	int n = 0;

	if (p == NULL || (e = strstr(p, "],\"errors\":")) == NULL)
		return -1;
	while ((p = strstr(p + 1, "{\"file\":")) != NULL && p < e)
		n++;
	return n;
}

/* -s STORE: units and types from the layout; keys, notes and .backup skipped. */
static void
store(void)
{
	static const char *const want[][4] = {
		{ "store/CAPF-trust/CAPF-1234abcd.pem", "CAPF-trust", "trust-cert", "warning" },
		{ "store/CallManager-trust/Far_01.pem", "CallManager-trust", "trust-cert", "ok" },
		{ "store/tomcat/tomcat.pem", "tomcat", "own-cert", "critical" },
	};
	struct ropt o = { .fmt = REPORT_JSON, .store = "store" };
	const char *none[] = { NULL };
	char *out, *err, kv[256];
	int i;

	fixtures();
	assert_int(report_run(&o, none, &out, &err), 1);
	assert_str(err, "");
	assert_int(t_json_lines(out, strlen(out)), 1);
	for (i = 0; i < 3; i++) {
		snprintf(kv, sizeof(kv), "{\"file\":\"%s\",", want[i][0]);
		assert_int(strncmp(jcert(out, i + 1), kv, strlen(kv)), 0);
		snprintf(kv, sizeof(kv), "\"unit\":\"%s\",\"type\":\"%s\",", want[i][1], want[i][2]);
		assert_has(jcert(out, i + 1), kv);
		snprintf(kv, sizeof(kv), "\"state\":\"%s\",", want[i][3]);
		assert_has(jcert(out, i + 1), kv);
	}
	assert_str(jcert(out, 4), "");
	assert_has(out, "\"errors\":[]");
	free(out);
	free(err);
	o.fmt = REPORT_TABLE;
	o.store = "nonexistent";
	assert_int(report_run(&o, none, &out, &err), 2);
	assert_str(out, "");
	assert_int(strncmp(err, "cert-expiry: nonexistent: ", 26), 0);
	free(out);
	free(err);
	t_rmtree(dir);
}

/* --threshold UNIT=WARN:CRIT: one unit's thresholds. */
static void
unit_thresholds(void)
{
	struct ropt o = { .fmt = REPORT_TABLE, .store = "store", .rules = { "CAPF-trust=90:30" } };
	const char *none[] = { NULL };
	char *out, *err;

	fixtures();
	/* CAPF-1234abcd.pem has 19 days: warning by default, critical with CAPF-trust=90:30 */
	assert_int(report_run(&o, none, &out, &err), 1);
	assert_int(nlines(out), 2);
	assert_str(cell(out, 1, 3), "tomcat");
	assert_str(cell(out, 2, 3), "CAPF-trust");
	assert_str(cell(out, 2, 7), "critical");
	free(out);
	free(err);
	o.rules[0] = "CAPF-trust=10:5";
	o.rules[1] = "tomcat=5:1";
	assert_int(report_run(&o, none, &out, &err), 1);
	assert_int(nlines(out), 1);
	assert_str(cell(out, 1, 3), "tomcat");
	assert_str(cell(out, 1, 7), "warning");
	free(out);
	free(err);
	/* the far trust certificate (3 years) comes in with a 2000-day warning */
	o.rules[0] = "CallManager-trust=2000:1";
	o.rules[1] = NULL;
	assert_int(report_run(&o, none, &out, &err), 1);
	assert_has(out, "\tstore/CallManager-trust/Far_01.pem\t");
	free(out);
	free(err);
	t_rmtree(dir);
}

/* --alarm over a store: CUCM's Certificate Monitor lines, unit and type from the layout. */
static void
alarm_lines(void)
{
	struct ropt o = { .fmt = REPORT_ALARM, .store = "store", .node = "CUCM01",
	    .cluster = "StandAloneCluster" };
	const char *none[] = { NULL }, *old[] = { "old.pem", NULL }, *far[] = { "far.pem", NULL };
	char *out, *err;

	fixtures();
	assert_int(report_run(&o, none, &out, &err), 1);
	assert_str(out, "%UC_CERT-4-CertExpiresSoon: %[Message=Certificate expiration Notification. "
	    "Certificate name:CAPF-1234abcd.der Unit:CAPF-trust Type:trust-cert Expiration:Wed Jan 20 "
	    "00:00:00:000 UTC][AppID=Cisco Certificate Monitor][ClusterID=StandAloneCluster]"
	    "[NodeID=CUCM01]: Certificate expires within the notification period\n"
	    "%UC_CERT-2-CertValidfor7days: %[Message=Certificate expiration Notification. "
	    "Certificate name:tomcat.der Unit:tomcat Type:own-cert Expiration:Tue Jan 05 "
	    "00:00:00:000 UTC][AppID=Cisco Certificate Monitor][ClusterID=StandAloneCluster]"
	    "[NodeID=CUCM01]: Alarm to indicate that Certificate has Expired or Expires in less than "
	    "seven days\n");
	free(out);
	free(err);
	o.store = o.node = o.cluster = NULL;
	assert_int(report_run(&o, old, &out, &err), 1);
	assert_str(out, "%UC_CERT-0-CertExpired: %[Message=Certificate expiration Notification. "
	    "Certificate name:old.der Unit: Type:cert Expiration:Tue Dec 01 00:00:00:000 UTC]"
	    "[AppID=Cisco Certificate Monitor][ClusterID=][NodeID=]: Certificate has Expired and "
	    "needs to be changed at the earliest\n");
	free(out);
	free(err);
	assert_int(report_run(&o, far, &out, &err), 0);
	assert_str(out, "");
	free(out);
	free(err);
	t_rmtree(dir);
}

/* dir/NAME's bytes (malloc'd) and length. */
static uint8_t *
get(const char *name, size_t *n)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return t_read(path, n);
}

/* dir/NAME holds n bytes of p. */
static void
putn(const char *name, const void *p, size_t n)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0)
		t_fail(__FILE__, __LINE__, "%s: cannot write", path);
}

/*
 * dir/OUT: a minimal CTL/ITL (version, header length, padding; each record RECORDLENGTH,
 * FUNCTION, CERTIFICATE), enough for the parser: cert-expiry.bats' mkctl. fn[i] the function
 * code of dir/der[i]; n records.
 */
static void
mkctl(const char *out, const int *fn, const char *const *der, size_t n)
{
	static const uint8_t head[] = { 1, 0, 2, 1, 2, 2, 0, 2, 0, 12, 13, 13 };
	uint8_t *f = malloc(sizeof(head)), *c;
	size_t len = sizeof(head), i, cl, rl;

	memcpy(f, head, sizeof(head));
	for (i = 0; i < n; i++) {
		c = get(der[i], &cl);
		rl = 13 + cl;
		if ((f = realloc(f, len + rl)) == NULL)
			abort();
		memcpy(f + len, (uint8_t[]){ 1, 0, 2, (uint8_t)(rl >> 8), (uint8_t)rl, 4, 0, 2, 0,
		    (uint8_t)fn[i], 9, (uint8_t)(cl >> 8), (uint8_t)cl }, 13);
		memcpy(f + len + 13, c, cl);
		len += rl;
		free(c);
	}
	putn(out, f, len);
	free(f);
}

/* A CTL/ITL's certificates are named by record and role. */
static void
trust_list(void)
{
	static const char *const files[] = { "far.der", "seven.der", "b.der", "trust.tlv", NULL };
	static const int fn[] = { 0, 21, 2 };
	struct ropt o = { .fmt = REPORT_TABLE, .all = 1 };
	const char *names[] = { "trust.tlv", NULL };
	char *out, *err;

	mkdir_tmp();
	mkcert_subj(NULL, "CN=far", "20260101000000Z", "20300101000000Z", "far.der");
	mkcert_subj(NULL, "CN=seven", "20260101000000Z", "20270108000000Z", "seven.der");
	mkcert_subj(NULL, "CN=bravo", "20260101000000Z", "20270105000000Z", "b.der");
	mkctl("trust.tlv", fn, files, 3);
	assert_int(report_run(&o, names, &out, &err), 1);
	assert_str(err, "");
	assert_int(nlines(out), 3);
	assert_str(cell(out, 1, 4), "trust.tlv#3(CCM+TFTP)");
	assert_str(cell(out, 1, 5), "CN=bravo");
	assert_str(cell(out, 1, 7), "critical");
	assert_str(cell(out, 2, 4), "trust.tlv#2(TVS)");
	assert_str(cell(out, 2, 5), "CN=seven");
	assert_str(cell(out, 2, 7), "critical");
	assert_str(cell(out, 3, 4), "trust.tlv#1(SAST)");
	assert_str(cell(out, 3, 5), "CN=far");
	assert_str(cell(out, 3, 7), "ok");
	free(out);
	free(err);
	o.fmt = REPORT_JSON;
	o.all = 0;
	assert_int(report_run(&o, names, &out, &err), 1);
	assert_has(jcert(out, 1), "\"index\":1,\"record\":1,\"role\":\"SAST\",");
	assert_has(jcert(out, 2), "\"index\":2,\"record\":2,\"role\":\"TVS\",");
	assert_has(jcert(out, 3), "\"index\":3,\"record\":3,\"role\":\"CCM+TFTP\",");
	assert_str(jcert(out, 4), "");
	free(out);
	free(err);
	t_rmtree(dir);
}

/* The bundled CTL and ITL samples (samples/, read in place): every record in file order. */
static void
samples(void)
{
	static const char *const roles[] = { "SAST", "SAST", "CCM+TFTP", "CAPF", "SAST", "SAST",
	    "TFTP", "CAPF", "TVS" };
	char ctl[4096], itl[4096], kv[64], *out, *err;
	const char *names[] = { ctl, itl, NULL };
	struct ropt o = { .fmt = REPORT_JSON };
	int i;

	if (realpath("samples/CTLFile-demo.tlv", ctl) == NULL ||
	    realpath("samples/ITLFile-demo.tlv", itl) == NULL)
		t_fail(__FILE__, __LINE__, "samples/: the demo files are not there");
	mkdir_tmp();
	/* (the Bats test's --now) */
	assert_int(report_run_at(&o, "2031-11-26T11:21:19Z", names, &out, &err), 1);
	assert_str(err, "");
	for (i = 0; i < 9; i++) {
		snprintf(kv, sizeof(kv), "\"role\":\"%s\",", roles[i]);
		assert_has(jcert(out, i + 1), kv);
	}
	assert_str(jcert(out, 10), "");
	assert_has(jcert(out, 3), "\"subject\":\"CN=cucm-pub\",");
	assert_has(jcert(out, 3), "\"state\":\"expired\",");
	assert_has(jcert(out, 4), "\"state\":\"critical\",");
	free(out);
	free(err);
	t_rmtree(dir);
}

/* b.pem's text with its third line's first character made '!' (bad base64) in badb64.pem,
 * without its END line in noend.pem. */
static void
damaged_pems(void)
{
	size_t n;
	char *t = (char *)get("b.pem", &n), *p = t, *e;
	int i;

	for (i = 0; i < 2; i++)
		p = strchr(p, '\n') + 1;
	*p = '!';
	put("badb64.pem", t);
	free(t);
	t = (char *)get("b.pem", &n);
	if ((e = strstr(t, "-----END CERTIFICATE-----")) == NULL)
		abort();
	*e = '\0';
	put("noend.pem", t);
	free(t);
}

/* A directory walk: files without certificates skipped, damage reported, the rest checked. */
static void
walk(void)
{
	struct ropt o = { .fmt = REPORT_TABLE, .all = 1 };
	const char *names[] = { "w", NULL };
	uint8_t *k;
	size_t n;
	char *out, *err, *p;
	char path[256];

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/w", dir);
	if (mkdir(path, 0700) != 0 || mkdir(strcat(path, "/sub"), 0700) != 0)
		t_fail(__FILE__, __LINE__, "%s: cannot make", path);
	mkcert_subj(NULL, "CN=bravo", "20260101000000Z", "20270105000000Z", "w/b.pem");
	mkcert_subj(NULL, "CN=bravo", "20260101000000Z", "20270105000000Z", "b.pem");
	mkcert_subj(NULL, "CN=far", "20260101000000Z", "20300101000000Z", "w/far.der");
	mkcert_subj(NULL, "CN=charlie", "20260101000000Z", "20270120000000Z", "w/sub/c.pem");
	mkcert_subj(NULL, "CN=bravo", "20260101000000Z", "20270105000000Z", "full.der");
	k = t_read("tests/fixtures/keys/rsa1024-1.key", &n);
	put("w/key.pem", (const char *)k);
	free(k);
	put("w/garbage.txt", "not a certificate\n");
	k = get("full.der", &n);
	putn("w/sub/truncated.der", k, 200);
	free(k);
	damaged_pems();
	k = get("badb64.pem", &n);
	putn("w/sub/badb64.pem", k, n);
	free(k);
	assert_int(report_run(&o, names, &out, &err), 2);
	assert_int(nlines(out), 3);
	assert_str(cell(out, 1, 3), "w");
	assert_str(cell(out, 1, 4), "w/b.pem");
	assert_str(cell(out, 2, 3), "sub");
	assert_str(cell(out, 2, 4), "w/sub/c.pem");
	assert_str(cell(out, 3, 3), "w");
	assert_str(cell(out, 3, 4), "w/far.der");
	assert_int(nlines(err), 2);
	assert_has(err, "cert-expiry: w/sub/badb64.pem: bad base64");
	assert_has(err, "cert-expiry: w/sub/truncated.der: damaged DER certificate");
	free(out);
	free(err);
	o.fmt = REPORT_JSON;
	assert_int(report_run(&o, names, &out, &err), 2);
	/* the errors: exactly these two files, in this order */
	p = strstr(out, "\"errors\":[{\"file\":\"w/sub/badb64.pem\",\"error\":\"");
	assert_true(p != NULL);
	p = strstr(p, "\"},{\"file\":\"w/sub/truncated.der\",\"error\":\"");
	assert_true(p != NULL);
	p += 10;	/* past this entry's "{\"file\":": no third before the array ends */
	assert_true(strstr(p, "{\"file\":") == NULL || strstr(p, "{\"file\":") > strchr(p, ']'));
	assert_int(ncerts(out), 3);
	free(out);
	free(err);
	o.fmt = REPORT_TABLE;
	o.depth = 1;
	assert_int(report_run(&o, names, &out, &err), 1);
	assert_int(nlines(out), 2);
	assert_str(err, "");
	free(out);
	free(err);
	t_rmtree(dir);
}

/* Malformed or certificate-less operands: exit 2, the file named, nothing printed; a bad file
 * among good ones is reported and counted, the rest checked. */
static void
malformed(void)
{
	static const char *const files[] = { "garbage.txt", "truncated.der", "badb64.pem",
	    "noend.pem", "empty.pem", "key.pem", "damaged-ctl.tlv", "missing.pem", "b.pem", "far.der",
	    "far.pem", NULL };
	static const int fn[] = { 0 };
	const char *der[] = { "far.der" }, *one[2] = { NULL, NULL };
	const char *mixed[] = { "b.pem", "garbage.txt", "far.pem", NULL };
	struct ropt o = { .fmt = REPORT_TABLE };
	char want[128], *out, *err;
	uint8_t *k;
	size_t n, i;

	mkdir_tmp();
	mkcert_subj(NULL, "CN=bravo", "20260101000000Z", "20270105000000Z", "b.pem");
	mkcert_subj(NULL, "CN=far", "20260101000000Z", "20300101000000Z", "far.pem");
	mkcert_subj(NULL, "CN=far", "20260101000000Z", "20300101000000Z", "far.der");
	put("garbage.txt", "not a certificate\n");
	put("empty.pem", "");
	k = t_read("tests/fixtures/keys/rsa1024-1.key", &n);
	put("key.pem", (const char *)k);
	free(k);
	k = get("far.der", &n);
	putn("truncated.der", k, 200);
	free(k);
	damaged_pems();
	mkctl("damaged-ctl.tlv", fn, der, 1);
	k = get("damaged-ctl.tlv", &n);
	putn("damaged-ctl.tlv", k, 100);
	free(k);
	for (i = 0; i < 8; i++) {
		one[0] = files[i];
		assert_int(report_run(&o, one, &out, &err), 2);
		assert_str(out, "");
		snprintf(want, sizeof(want), "cert-expiry: %s: ", files[i]);
		if (strncmp(err, want, strlen(want)) != 0)
			t_fail(__FILE__, __LINE__, "%s: stderr is \"%s\"", files[i], err);
		free(out);
		free(err);
	}
	assert_int(report_run(&o, mixed, &out, &err), 2);
	assert_int(nlines(out), 1);	/* bravo; far is outside the window */
	assert_str(err, "cert-expiry: garbage.txt: not a PEM, DER, PKCS#7, PKCS#12 or CTL/ITL file\n");
	free(out);
	free(err);
	t_rmtree(dir);
}

const struct t_case t_report[] = {
	{ "report: a CTL/ITL gives its certificates named by record and role", trust_list },
	{ "report: the bundled CTL and ITL samples: every record, in file order, with its role", samples },
	{ "report: a directory walk skips files without certificates, reports damage, goes on", walk },
	{ "report: malformed or certificate-less operands exit 2, name the file, print nothing; the rest checked", malformed },
	{ "report: --all lists the certificates outside the window too, by notAfter", all },
	{ "report: a store: units and types from the layout, keys and .backup skipped", store },
	{ "report: --threshold overrides the thresholds of one unit", unit_thresholds },
	{ "report: --alarm lines follow CUCM's Certificate Monitor format", alarm_lines },
	{ "report: CUCM's alarm band follows the days left, whatever -c says (12, 7, 1, 0, -1 days)", alarm_bands },
	{ "report: --nagios: status line, perfdata, long output and the plugin's exit codes", nagios },
	{ "report: --prometheus: textfile-collector lines, one by one, and their values", prometheus },
	{ "report: control bytes and UTF-8 in names: escaped in the table, the same text in valid JSON", escaped_names },
	{ NULL, NULL }
};
