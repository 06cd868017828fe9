/* reportbase.c: the label, name and serial every format prints, one way. */
#include <string.h>

#include "core/out.h"
#include "report/reportbase.h"
#include "x509/dntext.h"

const char *
reportbase_label(struct report *r, const struct report_cert *rc)
{
	r->a.len = 0;
	r->a.err = 0;
	buf_add(&r->a, rc->file, strlen(rc->file));
	if (rc->record > 0)
		buf_printf(&r->a, "#%d", rc->record);
	else if (rc->count > 1)
		buf_printf(&r->a, "#%zu", rc->index);
	if (rc->role != NULL)
		buf_printf(&r->a, "(%s)", rc->role);
	buf_add(&r->a, "", 1);
	if (r->a.err) {
		r->oom = 1;
		return rc->file;
	}
	return (const char *)r->a.p;
}

int
reportbase_parse_label(const char *s, size_t n, struct buf *out, int *record, const char **role)
{
	const char *open, *hash;
	long rec = 0;
	size_t i;

	/* "path#N(ROLE)": the role (not empty) holds no parenthesis, N is a record number */
	if (n < 5 || s[n - 1] != ')')
		return -1;
	for (open = s + n - 2; open > s && *open != '(' && *open != ')'; open--)
		;
	if (*open != '(' || open == s + n - 2)
		return -1;
	for (hash = open; hash > s && hash[-1] >= '0' && hash[-1] <= '9'; hash--)
		;
	if (hash == open || hash - 1 <= s || hash[-1] != '#' || open - hash > 5)
		return -1;
	for (i = 0; hash + i < open; i++)
		rec = rec * 10 + (hash[i] - '0');
	if (rec < 1 || rec > 65535)
		return -1;
	out->len = 0;
	out->err = 0;
	buf_add(out, s, (size_t)(hash - 1 - s));
	buf_addc(out, '\0');
	buf_add(out, open + 1, (size_t)(s + n - 1 - open - 1));
	buf_addc(out, '\0');
	if (out->err)
		return -1;
	*record = (int)rec;
	*role = (const char *)out->p + (hash - s);
	return 0;
}

const char *
reportbase_name(struct buf *out, const struct der_span *name)
{
	out->len = 0;
	out->err = 0;
	if (dntext_format(name->p, name->len, out) != 0) {
		out->len = 0;
		out->err = 0;
		buf_add(out, "?", 2);
	}
	return out->err ? "?" : (const char *)out->p;
}

char *
reportbase_serial(const struct report_cert *rc)
{
	return der_serial_text(rc->c->serial.p, rc->c->serial.len, 1);
}

int
reportbase_stale(const struct report *r, size_t *off, const char *f[4])
{
	int i;

	if (*off >= r->stale.len)
		return 0;
	for (i = 0; i < 4; i++) {
		f[i] = (const char *)r->stale.p + *off;
		*off += strlen(f[i]) + 1;
	}
	return 1;
}
