/*
 * t_cluster.c: an offline cluster's nodes file (lib/cucm/cluster): each malformed case is
 * refused with one diagnostic naming the file and line, as every tool that takes --cluster
 * prints it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "cucm/cluster.h"
#include "cucm/cucm.h"
#include "test.h"
#include "unit.h"

static const char *const units[] = { "CallManager", "tomcat", "ipsec", "TVS" };

static void
put(const char *path, const char *text, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(text, 1, n, fp) != n || fclose(fp) != 0)
		t_fail(__FILE__, __LINE__, "%s: cannot write", path);
}

/* c/NODE/UNIT/UNIT.pem for every unit a node has (cluster_load checks they are files). */
static void
node(const char *name)
{
	char p[256];
	size_t i;

	snprintf(p, sizeof(p), "c/%s", name);
	mkdir(p, 0755);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		snprintf(p, sizeof(p), "c/%s/%s", name, units[i]);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "c/%s/%s/%s.pem", name, units[i], units[i]);
		put(p, "", 0);
	}
}

/* cluster_load of c with nodes text: its result, and stderr in *err (malloc'd). */
static int
load(const char *text, size_t n, char **err)
{
	struct cluster c = { 0 };
	int rc;

	put("c/nodes", text, n);
	t_err_begin();
	rc = cluster_load(&c, "c", 140);
	*err = t_err_end();
	cluster_free(&c);
	return rc;
}

/* IPv6 and host names besides IPv4: only an IPv4 address goes into the ITL records. */
static void
addrs(void)
{
	static const char text[] = "cucm-pub 10.0.0.1 publisher tftp\ncucm-sub1 2001:db8::2 tftp\n"
	    "cucm-sub2 cucm-sub2.example.com\n";
	struct cluster c = { 0 };

	put("c/nodes", text, strlen(text));
	assert_int(cluster_load(&c, "c", 140), 0);
	assert_int(c.v[0].family, 4);
	assert_true(cluster_ip(&c, 0) != NULL && cluster_ip(&c, 0)[3] == 1);
	assert_int(c.v[1].family, 6);
	assert_str(c.v[1].addr, "2001:db8::2");
	assert_true(cluster_ip(&c, 1) == NULL);
	assert_int(c.v[2].family, 0);
	assert_str(c.v[2].addr, "cucm-sub2.example.com");
	assert_true(cluster_ip(&c, 2) == NULL);
	cluster_free(&c);
}

static void
cases(void)
{
	static const char *const bad[][2] = {
		{ "cucm-pub 10.0.0.1 publisher tftp\ncucm-sub1 10.0.0.300\n", "c/nodes:2: bad address (want IPv4, IPv6 or a host name)" },
		{ "cucm-pub 10.0.0.1 publisher\ncucm-sub1 10.0.0.2 publisher\n", "c/nodes:2: a second publisher" },
		{ "cucm-pub 10.0.0.1 tftp\ncucm-sub1 10.0.0.2\n", "c/nodes:2: no publisher" },
		{ "cucm-pub 10.0.0.1 publisher\ncucm-sub1 10.0.0.2 tftp router\n", "c/nodes:2: unknown or repeated role" },
		{ "cucm-pub 10.0.0.1 publisher\n# gone\ncucm-sub9 10.0.0.9\n", "c/nodes:3: cucm-sub9: no node directory" },
		{ "cucm-pub 10.0.0.1 publisher\ncucm-pub 10.0.0.2\n", "c/nodes:2: node named twice" },
		{ "cucm-pub\n", "c/nodes:1: no address" },
		{ "../etc 10.0.0.1 publisher\n", "c/nodes:1: bad node name" },
		{ "cucm-pub -x.example.com publisher\n", "c/nodes:1: bad address" },
		{ "cucm-pub cucm_pub publisher\n", "c/nodes:1: bad address" },
		{ "cucm-pub fe80::1%eth0 publisher\n", "c/nodes:1: bad address" },
	};
	static const char good[] = "# node       address    roles\ncucm-pub    10.0.0.1   publisher tftp\n"
	    "cucm-sub1   10.0.0.2   tftp    # second TFTP\ncucm-sub2   10.0.0.3\n";
	char tmp[] = "/tmp/ctk-unit.XXXXXX", want[128], rm[64], *err, *big;
	int top = open(".", O_RDONLY | O_DIRECTORY);
	size_t i;

	if (top < 0 || mkdtemp(tmp) == NULL || chdir(tmp) != 0)
		t_fail(__FILE__, __LINE__, "cannot make a scratch directory");
	mkdir("c", 0755);
	node("cucm-pub");
	node("cucm-sub1");
	node("cucm-sub2");
	assert_int(load(good, strlen(good), &err), 0);
	assert_str(err, "");
	free(err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int(load(bad[i][0], strlen(bad[i][0]), &err), -1);
		snprintf(want, sizeof(want), "unit: %s", bad[i][1]);
		if (strncmp(err, want, strlen(want)) != 0 || strchr(err, '\n') != err + strlen(err) - 1)
			t_fail(__FILE__, __LINE__, "case %zu: \"%s\", want \"%s...\"", i, err, want);
		free(err);
	}
	addrs();
	/* a key-less node (certificates only) lacks what no served file shows: loaded */
	unlink("c/cucm-sub2/TVS/TVS.pem");
	assert_int(load(good, strlen(good), &err), 0);
	assert_str(err, "");
	free(err);
	/* a node with a key is a store a run changes: it has every unit every node has */
	put("c/cucm-sub2/ipsec/ipsec.key", "", 0);
	assert_int(load(good, strlen(good), &err), -1);
	assert_str(err, "unit: c/nodes:4: cucm-sub2: no TVS/TVS.pem (every node has CallManager, tomcat, ipsec and TVS)\n");
	free(err);
	/* ctl-dump --cluster c --trust c/nodes: trouble, said once */
	{
		struct ctldump d = { .cucmver = 140, .clusterdir = "c", .oldpath = "c/nodes" };

		d.out = stdout;
		t_err_begin();
		assert_int(ctldump_open(&d), -1);
		ctldump_close(&d);
		err = t_err_end();
		assert_true(strncmp(err, "unit: c/nodes: ", 15) == 0 && strchr(err, '\n') == err + strlen(err) - 1);
		free(err);
	}
	/* a 200,000-byte line, a NUL byte */
	big = malloc(200029);
	memcpy(big, "cucm-pub 10.0.0.1 publisher\n", 28);
	memset(big + 28, 'a', 200000);
	big[200028] = '\n';
	assert_int(load(big, 200029, &err), -1);
	assert_has(err, "unit: c/nodes:2: bad node name");
	free(err);
	free(big);
	assert_int(load("cucm-pub 10.0.0.1 publisher\0\n", 29, &err), -1);
	assert_has(err, "c/nodes:1: a NUL byte");
	free(err);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", tmp);
	if (fchdir(top) != 0 || system(rm) != 0)
		t_fail(__FILE__, __LINE__, "cannot go back");
	close(top);
}

static void
versions(void)
{
	static const char *const bad[] = { "7", "", "x", "14.", "-14", "8.6", "9.1", "13", "99",
		"12.51", "14SU", NULL };
	static const struct {
		const char	*in, *text;
		int		 v;
	} good[] = {
		{ "10.0", "10.0", 100 }, { "11.5", "11.5", 115 }, { "11.5.1", "11.5", 115 },
		{ "12.5.1.11900-146", "12.5", 125 }, { "12.5(1)SU4", "12.5", 125 },
		{ "14", "14", 140 }, { "14SU3", "14", 140 }, { "15", "15", 150 },
	};
	char vt[8];
	int v;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int(cucm_version(good[i].in, &v), 0);
		assert_int(v, good[i].v);
		assert_str(cucm_version_text(v, vt), good[i].text);
	}
	for (i = 0; bad[i] != NULL; i++)
		if (cucm_version(bad[i], &v) != -1)
			t_fail(__FILE__, __LINE__, "\"%s\" read as %d", bad[i], v);
}

const struct t_case t_cluster[] = {
	{ "cluster: malformed nodes files: one diagnostic naming the file and line", cases },
	{ "cluster: CUCM releases (--cucm-version): 10.0 to 15 with SU and build suffixes; 7, 9.1, 13, 99 are none", versions },
	{ NULL, NULL }
};
