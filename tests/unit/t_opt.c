/*
 * t_opt.c: the option layer (lib/core/opt) over a table of its own: shared letters, old
 * spellings (a deprecation note once, the new option's id), options after operands, lists.
 * (Each tool's own table against its man page and --help: tests/cli.bats.)
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "core/opt.h"
#include "test.h"

enum { O_KEEP = OPT_TOOL, O_APPLY, O_TRUST };

static const struct opt rows[] = {
	{ "store", 0, NULL, "the store", "Selection", NULL, NULL },
	{ "keep-in", O_KEEP, "FILE", "keep what FILE holds", NULL, "tlv", "-k" },
	{ "apply", O_APPLY, NULL, "do it", "Action", NULL, "-a" },
	{ "trust-stores", O_TRUST, "LIST", "the trust stores", NULL, NULL, "--trust" },
	{ "expiring", 'e', "DAYS", "within DAYS days", NULL, NULL, NULL },
	{ "json", 0, NULL, "JSON", "Output", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: unit [-j] [--apply] [-e days] [--keep-in file] [-s store] [--trust-stores list] [file ...]",
	"Exit status: 0 ok, 2 trouble.", "file", rows
};

static void
spellings(void)
{
	char *argv[] = { "unit", "-k", "a.tlv", "x", "--apply", "-a", "--keep-in=b.tlv", "-k", "c.tlv",
	    "--trust", "none", "-js", "S", "-e", "3", "--", "-j", NULL };
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1, ch;
	char got[512] = "", *err;

	optind = 0;	/* GNU getopt: start over */
	t_err_begin();
	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		size_t n = strlen(got);

		snprintf(got + n, sizeof(got) - n, "%d%s%s%s ", ch, opt_was_old() ? "(old)" : "",
		    optarg ? "=" : "", optarg ? optarg : "");
	}
	err = t_err_end();
	/* old spellings give the new id; options after an operand count; "--" ends them */
	{
		char want[512];

		snprintf(want, sizeof(want), "%d(old)=a.tlv %d %d(old) %d=b.tlv %d(old)=c.tlv %d(old)=none "
		    "%d %d=S %d=3 ", O_KEEP, O_APPLY, O_APPLY, O_KEEP, O_KEEP, O_TRUST, 'j', 's', 'e');
		assert_str(got, want);
	}
	/* one note per old spelling, however often it is given */
	assert_str(err, "unit: -k is deprecated: use --keep-in\nunit: -a is deprecated: use --apply\n"
	    "unit: --trust is deprecated: use --trust-stores\n");
	free(err);
	/* the operands, in order, after the options (getopt_long permutes them) */
	assert_int(argc - optind, 2);
	assert_str(argv[optind], "x");
	assert_str(argv[optind + 1], "-j");
}

static void
lists(void)
{
	char s[] = "a-trust,b-trust,,c-trust", *v[4];
	static const char *const words[] = { "sha1", "sha256", "sha512", NULL };

	assert_int(opt_list(s, v, 4), 3);
	assert_str(v[0], "a-trust");
	assert_str(v[2], "c-trust");
	assert_int(opt_word("sha256", words), 1);
	assert_int(opt_num("4096", 1024, 16384), 4096);
	assert_int(opt_days("0.5"), 43200);
	assert_str(opt_time("@1798761600"), "@1798761600");
}

const struct t_case t_opt[] = {
	{ "opt: old spellings give the new option and say so once; options after operands; --", spellings },
	{ "opt: lists, words, numbers, days and times that are good", lists },
	{ NULL, NULL }
};
