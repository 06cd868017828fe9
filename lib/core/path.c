/* path.c: directory listing in a fixed order (so output is deterministic) and path helpers. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/path.h"

char *
path_join(const char *first, ...)
{
	va_list ap;
	const char *s;
	size_t n = 0;
	char *p;

	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		n += strlen(s) + 1;
	va_end(ap);
	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	p[0] = '\0';
	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *)) {
		size_t l = strlen(p);

		if (l > 0 && p[l - 1] != '/')
			strcat(p, "/");
		strcat(p, s);
	}
	va_end(ap);
	return p;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
path_list(const char *dir, int hidden, char ***names, size_t *n)
{
	DIR *d;
	struct dirent *e;
	char **v = NULL, **nv;
	size_t cap = 0, k = 0;

	*names = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		warnf("%s:", dir);
		return -1;
	}
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    (!hidden && e->d_name[0] == '.'))
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		if ((v[k] = strdup(e->d_name)) == NULL)
			goto nomem;
		k++;
		errno = 0;
	}
	if (errno != 0) {
		warnf("%s:", dir);
		goto fail;
	}
	closedir(d);
	if (k > 0)	/* qsort(NULL, 0, ...) is undefined */
		qsort(v, k, sizeof(*v), cmp);
	*names = v;
	*n = k;
	return 0;
nomem:
	warnf("%s: out of memory", dir);
fail:
	closedir(d);
	path_list_free(v, k);
	return -1;
}

void
path_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
path_isdir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
path_isreg(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
path_mkdirs(const char *path, int mode)
{
	char *p, *s;
	int rc = 0;

	/* most calls find it made already (a restore's thousands of files share a few folders) */
	if (path_isdir(path))
		return 0;
	if ((p = strdup(path)) == NULL)
		return -1;
	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, (mode_t)mode) == 0)
			rc = chmod(p, (mode_t)mode);	/* exactly mode, whatever the umask */
		else if (errno != EEXIST)
			rc = -1;
		else if (errno == EEXIST && !path_isdir(p) && c == '\0')
			rc = -1;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}
