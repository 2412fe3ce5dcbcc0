/*
 * runas USER|UID[:GID] COMMAND [ARG...]: run a command as another user.
 *
 * What su does, without the password: drop the supplementary groups,
 * set the group, then the user (in this order: once the uid is not 0 the
 * process may no longer change its gid), and execute the command (looked
 * up in $PATH when it has no slash).  USER is a name from /etc/passwd, which
 * gives the group too; a number needs no /etc/passwd, and its group is
 * the same number unless :GID says otherwise.  Only root may do it.
 *
 *   / # runas user cat /etc/motd            works: the file is 0644
 *   / # chmod 600 /etc/motd; runas 1000 cat /etc/motd
 *   cat: /etc/motd: Permission denied
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static int numeric(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* name:x:uid:gid:... in /etc/passwd; 0 when found. */
static int lookup(const char *name, unsigned *uid, unsigned *gid)
{
	static char buf[8192];
	int fd = open("/etc/passwd", O_RDONLY);
	if (fd < 0)
		return -1;
	int n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	size_t len = strlen(name);
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!strncmp(line, name, len) && line[len] == ':') {
			char *f = strchr(line + len + 1, ':');	/* past the password */
			if (!f)
				return -1;
			char *end;
			*uid = (unsigned)strtoul(f + 1, &end, 10);
			if (*end != ':')
				return -1;
			*gid = (unsigned)strtoul(end + 1, &end, 10);
			return *end == ':' ? 0 : -1;
		}
		line = next;
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: runas USER|UID[:GID] COMMAND [ARG...]\n");
		return 2;
	}
	char who[64];
	strncpy(who, argv[1], sizeof who - 1);
	who[sizeof who - 1] = 0;
	char *colon = strchr(who, ':');
	if (colon)
		*colon++ = 0;
	unsigned uid, gid;
	if (numeric(who)) {
		uid = gid = (unsigned)strtoul(who, 0, 10);
	} else if (lookup(who, &uid, &gid)) {
		fprintf(stderr, "runas: no user %s in /etc/passwd\n", who);
		return 2;
	}
	if (colon) {
		if (!numeric(colon)) {
			fprintf(stderr, "runas: the group must be a number\n");
			return 2;
		}
		gid = (unsigned)strtoul(colon, 0, 10);
	}
	if (syscall(__NR_setgroups32, 0, 0) || syscall(__NR_setresgid32, gid, gid, gid) ||
	    syscall(__NR_setresuid32, uid, uid, uid)) {
		fprintf(stderr, "runas: %s\n", strerror(errno));
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
