/* opt.h: one option table per tool gives getopt_long, --help, the usage line and bash completion. */
#ifndef CTK_OPT_H
#define CTK_OPT_H

#include <getopt.h>	/* optarg, optind */
#include <stdint.h>

/* What opt_next() returns for the shared long-only options; tools number theirs from OPT_TOOL. */
enum { OPT_NOW = 256, OPT_CLUSTER, OPT_CUCM_VERSION, OPT_WAIT, OPT_COMPLETE, OPT_TOOL = 300 };
/* What opt_next() returns when the run is to stop: main returns opt_status(). */
enum { OPT_EXIT = -2 };

/*
 * One row of a tool's table. A row naming a shared option (help, version, json, quiet,
 * verbose, dry-run, yes, force, store, output, now, wait, cluster, cucm-version) takes its letter,
 * argument and completion from the shared table, and its help line too when help is NULL:
 * a letter means one thing in every tool.
 */
struct opt {
	const char	*name;		/* long name; NULL ends the table */
	int		 id;		/* short letter, or OPT_TOOL + n for a long-only option */
	const char	*arg;		/* argument name in --help; NULL: takes none */
	const char	*help;		/* the --help line */
	const char	*group;		/* --help heading from this row on; NULL: the row before's */
	const char	*complete;	/* argument completion: file, dir, tlv, unit, trust-unit,
					   "=word word" or NULL (none) */
	const char	*old;		/* an old spelling kept one release: "-a" or "--trusted" */
};

struct opt_tool {
	const char	*usage;		/* "usage: ..." lines, word for word the man SYNOPSIS */
	const char	*exits;		/* the exit-status paragraph of --help */
	const char	*operands;	/* operand completion (as struct opt's complete); NULL: none */
	const struct opt *opts;
};

/*
 * getopt_long over the table: the next option's id (an old spelling gives its new one, after a
 * deprecation note once), or -1 at the first operand. OPT_EXIT when the run is to stop, with
 * opt_status() its exit status (lib never exits: main does): --help, --version and
 * --bash-completion printed (0; 2 when stdout cannot be written); an unknown option, or a bad
 * value an argument parser below met since the last call, diagnosed with the usage (2).
 */
int opt_next(const struct opt_tool *t, int argc, char *argv[]);
/* The exit status after OPT_EXIT (or after opt_usage/opt_bad); 0 while nothing stopped the run. */
int opt_status(void);
/* 1 when the option opt_next() returned last was given by its old spelling. */
int opt_was_old(void);
/* The usage lines on stderr; returns 2 (EXIT_TROUBLE), main's exit status, and so does opt_status. */
int opt_usage(void);
/* "prog: --name: msg" (the option opt_next() returned last), then the usage; returns 2 as opt_usage. */
int opt_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Argument parsers: on a bad value, `prog: --opt: not ...: "value"` and the usage (opt_bad),
 * a harmless value returned (lo, 0, the first word, the names so far), and the next opt_next()
 * says OPT_EXIT with status 2.
 */
long opt_num(const char *s, long lo, long hi);
int64_t opt_days(const char *s);		/* whole or fractional days, in seconds */
const char *opt_time(const char *s);		/* YYYY-MM-DDTHH:MM:SSZ or @UNIX; returns s */
int opt_word(const char *s, const char *const *words);	/* index in a NULL-ended list */
/* A value a lower layer judged (ok 0): `prog: --opt: not WHAT: "s"`, the usage (as above). */
const char *opt_check(int ok, const char *what, const char *s);
/* Split a comma-separated list in place into at most max names; returns how many. */
int opt_list(char *s, char **v, int max);

#endif
