/*
 * sh: a small shell.
 *
 *   line     := pipeline { (';' | '&') pipeline } [ '&' ]
 *   pipeline := command { '|' command }
 *   command  := { word | redirection }
 *   redirection := '<' word | '>' word | '>>' word | '2>' word | '2>&1'
 *
 * Words may be quoted with '...' (literal) or "..." ($ expansions still
 * happen); $? is the status of the last foreground pipeline, $$ our pid,
 * $NAME an environment variable.  '#' starts a comment.  Built in: cd,
 * exit, export NAME=VALUE.  Other commands are looked up in $PATH
 * (default /bin).
 *
 * parse.c turns a line into struct pipeline values; run.c runs them;
 * main.c reads lines (from the terminal, a file, or -c).
 *
 * Job control, when reading from a terminal: every pipeline runs in a
 * process group of its own, and a foreground one is made the terminal's
 * foreground group while it runs, so that ^C (SIGINT) and ^\ reach it and
 * not the shell, which ignores them itself.
 */
#ifndef SH_H
#define SH_H

#define MAX_ARGS 64
#define MAX_CMDS 16
#define LINE_MAX_LEN 1024

struct command {
	char *argv[MAX_ARGS + 1];   /* NULL-terminated */
	int argc;
	char *in, *out, *err;       /* redirection targets, or NULL */
	int append;                 /* '>>' rather than '>' */
	int err_to_out;             /* 2>&1 */
};

struct pipeline {
	struct command cmds[MAX_CMDS];
	int ncmds;
	int background;             /* ended with '&' */
};

/* The status of the last foreground pipeline ($?). */
extern int last_status;
/* Non-zero when the shell does job control (interactive, on a terminal). */
extern int job_control;
void job_control_start(void);

/*
 * Parse the next pipeline from *line (advanced past it, and past a ';' or
 * '&' that ends it).  Words are copied into storage owned by the parser,
 * valid until the next parse_line().  Returns 1 with *p filled, 0 at the
 * end of the line, -1 on a syntax error (already reported).
 */
int parse_pipeline(const char **line, struct pipeline *p);
void parse_line(void);          /* start a new line: release word storage */

/* Run a pipeline; return its status (also stored in last_status). */
int run_pipeline(struct pipeline *p);

/* Reap finished background jobs, reporting them. */
void reap_jobs(void);

#endif
