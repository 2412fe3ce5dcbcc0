/*
 * sh [-c COMMANDS | FILE]: read command lines from the terminal (with a
 * prompt), a file, or the -c argument, and run them.  The exit status is
 * that of the last command.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

/*
 * Read one line from fd, a byte at a time: reading more could swallow
 * input that belongs to the commands we start.  Returns the length, or -1
 * at end of file with nothing read.
 */
static int read_line(int fd, char *buf, int size)
{
	int n = 0;
	char c;

	for (;;) {
		int r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n > 0 ? n : -1;
		if (c == '\n')
			break;
		if (n < size - 1)
			buf[n++] = c;
	}
	buf[n] = 0;
	return n;
}

static void run_line(const char *line)
{
	struct pipeline p;
	int r;

	parse_line();
	while ((r = parse_pipeline(&line, &p)) != 0) {
		if (r < 0) {
			last_status = 2;
			return;
		}
		run_pipeline(&p);
	}
}

int main(int argc, char **argv)
{
	static char line[LINE_MAX_LEN];
	int fd = 0;

	if (!getenv("PATH")) {
		static char *env[] = { "PATH=/bin", NULL };
		if (!environ || !environ[0])
			environ = env;
	}
	if (argc > 2 && !strcmp(argv[1], "-c")) {
		strncpy(line, argv[2], sizeof(line) - 1);
		run_line(line);
		return last_status;
	}
	if (argc > 1) {
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
	}
	int interactive = isatty(fd);
	if (interactive)
		job_control_start();
	for (;;) {
		reap_jobs();
		if (interactive) {
			char cwd[128];
			printf("%s# ", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
			fflush(stdout);
		}
		if (read_line(fd, line, sizeof(line)) < 0)
			break;
		run_line(line);
	}
	if (interactive)
		printf("\n");
	return last_status;
}
