/* opt.c: the option layer every tool parses its command line with (in the spirit of p11-kit's). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/opt.h"
#include "core/when.h"

#define OPT_MAX 96		/* rows of one tool, shared ones and old spellings included */
#define OPT_OLDID 2000		/* getopt's id for the long old spelling of row i: OPT_OLDID + i */
#define HELP_COL 26		/* where help lines start in --help */
#define HELP_WIDTH 79		/* and where they end at the latest */

/* The shared options: one letter, one argument, one meaning in every tool. */
static const struct opt shared[] = {
	{ "json", 'j', NULL, "JSON on stdout", NULL, NULL, NULL },
	{ "quiet", 'q', NULL, "print nothing; the exit status says it all", NULL, NULL, NULL },
	{ "verbose", 'v', NULL, "more detail", NULL, NULL, NULL },
	{ "dry-run", 'n', NULL, "say what would change, change nothing", NULL, NULL, NULL },
	{ "yes", 'y', NULL, "no confirmation prompt", NULL, NULL, NULL },
	{ "force", 'f', NULL, "replace an existing output file", NULL, NULL, NULL },
	{ "store", 's', "DIR", "the offline store: DIR/UNIT/FILE", NULL, "dir", NULL },
	{ "output", 'o', "FILE", "write FILE atomically (default: stdout)", NULL, "file", NULL },
	{ "now", OPT_NOW, "TIME", "reference time (YYYY-MM-DDTHH:MM:SSZ or @UNIX)", NULL, NULL,
	    NULL },
	{ "wait", OPT_WAIT, "SECONDS", "wait that long for a store another tool holds (10)", NULL,
	    NULL, NULL },
	{ "cluster", OPT_CLUSTER, "DIR", "the offline cluster: DIR/nodes, DIR/NODE/", NULL, "dir",
	    NULL },
	{ "cucm-version", OPT_CUCM_VERSION, "VER", "the CUCM release to behave as (default 14)",
	    NULL, "=11.5 12.5 14 15", NULL },
	{ "help", 'h', NULL, "print this help and exit", "Help", NULL, NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL, NULL, NULL },
};
#define NSHARED (sizeof(shared) / sizeof(shared[0]))

static const struct opt_tool *tool;
static struct opt rows[OPT_MAX];
static struct option longopts[2 * OPT_MAX + 2];
static char shortopts[3 * OPT_MAX + 2];
static int nrows, last = -1, lastold, noted[OPT_MAX];
/* set when the run is to stop (--help, --version, a bad option or value): opt_next says OPT_EXIT */
static int done = -1;

static const struct opt *
shared_row(const char *name)
{
	size_t i;

	for (i = 0; i < NSHARED; i++)
		if (strcmp(shared[i].name, name) == 0)
			return &shared[i];
	return NULL;
}

static void
addshort(int id, const char *arg)
{
	size_t n = strlen(shortopts);

	shortopts[n++] = (char)id;
	if (arg != NULL)
		shortopts[n++] = ':';
	shortopts[n] = '\0';
}

/* The rows: the tool's, filled from the shared table, then -h and -V; and getopt's arrays. */
static void
init(const struct opt_tool *t)
{
	const struct opt *s, *p;
	int i, nl = 0;

	tool = t;
	/* ":": we word the errors. No "+": options after operands count (scripts rely on it). */
	strcpy(shortopts, ":");
	for (p = t->opts; p->name != NULL && nrows < OPT_MAX - 2; p++) {
		rows[nrows] = *p;
		if ((s = shared_row(p->name)) != NULL) {
			rows[nrows].id = s->id;	/* a tool may rename the argument, not drop it */
			rows[nrows].arg = p->arg != NULL && s->arg != NULL ? p->arg : s->arg;
			rows[nrows].complete = p->complete != NULL ? p->complete : s->complete;
			if (p->help == NULL)
				rows[nrows].help = s->help;
		}
		nrows++;
	}
	rows[nrows++] = shared[NSHARED - 2];	/* -h, -V: every tool, last, under "Help" */
	rows[nrows++] = shared[NSHARED - 1];
	for (i = 0; i < nrows; i++) {
		p = &rows[i];
		longopts[nl++] = (struct option){ p->name, p->arg ? required_argument :
		    no_argument, NULL, p->id };
		if (p->id < 256)
			addshort(p->id, p->arg);
		if (p->old != NULL && p->old[1] == '-')
			longopts[nl++] = (struct option){ p->old + 2, p->arg ? required_argument :
			    no_argument, NULL, OPT_OLDID + i };
		else if (p->old != NULL)
			addshort(p->old[1], p->arg);
	}
	longopts[nl++] = (struct option){ "bash-completion", no_argument, NULL, OPT_COMPLETE };
	longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
}

/* "-j, --json FILE" for row p into out; returns its length. */
static int
left(const struct opt *p, char *out, size_t n)
{
	char sh[8] = "    ";

	if (p->id < 256)
		snprintf(sh, sizeof(sh), "-%c, ", p->id);
	return snprintf(out, n, "  %s--%s%s%s", sh, p->name, p->arg ? " " : "",
	    p->arg ? p->arg : "");
}

/* A help line from HELP_COL on, broken between words to stay within HELP_WIDTH columns. */
static void
wrap(const char *s)
{
	size_t n, col = HELP_COL;

	while (*s != '\0') {
		n = strcspn(s, " ");
		if (col > HELP_COL && col + 1 + n > HELP_WIDTH) {
			printf("\n%*s", HELP_COL, "");
			col = HELP_COL;
		} else if (col > HELP_COL) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)n, s);
		col += n;
		s += n;
		s += strspn(s, " ");
	}
	putchar('\n');
}

static int
help(void)
{
	const char *group = NULL;
	char buf[128];
	int i, n;

	printf("%s\n", tool->usage);
	for (i = 0; i < nrows; i++) {
		if (i == 0 || (rows[i].group != NULL && strcmp(rows[i].group, group) != 0)) {
			group = rows[i].group != NULL ? rows[i].group : "Options";
			printf("\n%s:\n", group);
		}
		n = left(&rows[i], buf, sizeof(buf));
		if (n + 2 > HELP_COL)
			printf("%s\n%*s", buf, HELP_COL, "");
		else
			printf("%s%*s", buf, HELP_COL - n, "");
		wrap(rows[i].help);
	}
	printf("\n%s\n", tool->exits);
	return diag_flush_stdout() == 0 ? EXIT_OK : EXIT_TROUBLE;
}

/* The bash words that complete an argument of this kind into COMPREPLY. */
static void
complete_kind(const char *k)
{
	static const char units[] =
	    "local s=. i d w=\n"
	    "\t\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\t\tcase ${COMP_WORDS[i]} in -s|--store) s=${COMP_WORDS[i+1]} ;; esac\n"
	    "\t\tdone\n"
	    "\t\tfor d in \"$s\"/*/; do\n"
	    "\t\t\t[[ -d $d ]] || continue\n"
	    "\t\t\td=${d%%/}; d=${d##*/}\n"
	    "\t\t\t[[ $d %s ]] && w+=\" $d\"\n"
	    "\t\tdone\n"
	    "\t\tCOMPREPLY=($(compgen -W \"$w\" -- \"$cur\"))";

	if (k == NULL)
		printf("COMPREPLY=()");
	else if (k[0] == '=')
		printf("COMPREPLY=($(compgen -W '%s' -- \"$cur\"))", k + 1);
	else if (strcmp(k, "dir") == 0)
		printf("compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))");
	else if (strcmp(k, "tlv") == 0)
		printf("compopt -o filenames 2>/dev/null\n\t\tCOMPREPLY=($(compgen -f -X "
		    "'!*.tlv' -- \"$cur\") $(compgen -d -- \"$cur\"))");
	else if (strcmp(k, "unit") == 0 || strcmp(k, "trust-unit") == 0)
		printf(units, strcmp(k, "unit") == 0 ? "!= *-trust" : "== *-trust");
	else
		printf("compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))");
}

/* A bash completion script for the tool, from its table (make writes completion/TOOL). */
static int
complete(void)
{
	char fn[64];
	size_t k;
	int i;

	snprintf(fn, sizeof(fn), "_ctlkit_%s", progname);
	for (k = 0; fn[k] != '\0'; k++)
		fn[k] = fn[k] == '-' ? '_' : fn[k];
	printf("# bash completion for %s (generated by `%s --bash-completion`)\n"
	    "%s()\n{\n\tlocal cur=${COMP_WORDS[COMP_CWORD]} "
	    "prev=${COMP_WORDS[COMP_CWORD-1]}\n\tcase $prev in\n",
	    progname, progname, fn);
	for (i = 0; i < nrows; i++) {
		if (rows[i].arg == NULL)
			continue;
		if (rows[i].id < 256)
			printf("\t-%c|--%s)\n\t\t", rows[i].id, rows[i].name);
		else
			printf("\t--%s)\n\t\t", rows[i].name);
		complete_kind(rows[i].complete);
		printf("\n\t\treturn ;;\n");
	}
	printf("\tesac\n\tif [[ $cur == -* ]]; then\n\t\tCOMPREPLY=($(compgen -W '");
	for (i = 0; i < nrows; i++)
		printf("%s--%s", i > 0 ? " " : "", rows[i].name);
	printf("' -- \"$cur\"))\n\t\treturn\n\tfi\n\t");
	complete_kind(tool->operands);
	printf("\n}\ncomplete -F %s %s\n", fn, progname);
	return diag_flush_stdout() == 0 ? EXIT_OK : EXIT_TROUBLE;
}

int
opt_usage(void)
{
	fprintf(stderr, "%s\n", tool != NULL ? tool->usage : "usage: see --help");
	return done = EXIT_TROUBLE;
}

int
opt_bad(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (last >= 0)
		warnf("--%s: %s", rows[last].name, msg);
	else
		warnf("%s", msg);
	return opt_usage();
}

int
opt_was_old(void)
{
	return lastold;
}

/* The row getopt's id stands for; an old spelling notes its deprecation once. */
static int
row_of(int ch)
{
	int i;

	lastold = 0;
	for (i = 0; i < nrows; i++) {
		if (ch == rows[i].id)
			return i;
		if (ch == OPT_OLDID + i || (rows[i].old != NULL && rows[i].old[1] != '-' &&
		    ch == rows[i].old[1])) {
			lastold = 1;
			if (!noted[i]++ && rows[i].id < 256)
				warnf("%s is deprecated: use -%c or --%s", rows[i].old, rows[i].id,
				    rows[i].name);
			else if (noted[i] == 1)
				warnf("%s is deprecated: use --%s", rows[i].old, rows[i].name);
			return i;
		}
	}
	return -1;
}

int
opt_next(const struct opt_tool *t, int argc, char *argv[])
{
	int ch;

	if (tool == NULL)
		init(t);
	if (done >= 0)	/* a bad value of the option before, or asked again after the end */
		return OPT_EXIT;
	opterr = 0;
	if ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) == -1)
		return -1;
	if (ch == OPT_COMPLETE)
		return done = complete(), OPT_EXIT;
	if (ch == ':' || ch == '?') {
		const char *a = argv[optind - 1];

		if (strncmp(a, "--", 2) != 0 && optopt > 0 && optopt < 256)
			warnf("-%c: %s", optopt, ch == ':' ? "needs an argument" : "unknown option");
		else
			warnf("%.*s: %s", (int)strcspn(a, "="), a, ch == ':' ?
			    "needs an argument" : "unknown option");
		return opt_usage(), OPT_EXIT;
	}
	if ((last = row_of(ch)) < 0)
		return opt_usage(), OPT_EXIT;
	if (rows[last].id == 'h')
		return done = help(), OPT_EXIT;
	if (rows[last].id == 'V') {
		printf("%s ctlkit %s\n", progname, CTK_VERSION);
		return done = diag_flush_stdout() == 0 ? EXIT_OK : EXIT_TROUBLE, OPT_EXIT;
	}
	return rows[last].id;
}

int
opt_status(void)
{
	return done >= 0 ? done : EXIT_OK;
}

long
opt_num(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi || *s == ' ' ||
	    *s == '+')
		return opt_bad("not a number from %ld to %ld: \"%s\"", lo, hi, s), lo;
	return v;
}

int64_t
opt_days(const char *s)
{
	int64_t v;

	if (when_days(s, &v) != 0)
		return opt_bad("not a number of days: \"%s\"", s), 0;
	return v;
}

const char *
opt_time(const char *s)
{
	int64_t v;

	if (when_parse(s, &v) != 0)
		opt_bad("not a time (YYYY-MM-DDTHH:MM:SSZ or @UNIX): \"%s\"", s);
	return s;
}

const char *
opt_check(int ok, const char *what, const char *s)
{
	if (!ok)
		opt_bad("not %s: \"%s\"", what, s);
	return s;
}

int
opt_word(const char *s, const char *const *words)
{
	char all[256] = "";
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	for (i = 0; words[i] != NULL; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
		    i == 0 ? "" : words[i + 1] == NULL ? " or " : ", ", words[i]);
	return opt_bad("not %s: \"%s\"", all, s), 0;
}

int
opt_list(char *s, char **v, int max)
{
	char *tok, *save;
	int n = 0;

	for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return opt_bad("more than %d names", max), n;
		v[n++] = tok;
	}
	return n;
}
