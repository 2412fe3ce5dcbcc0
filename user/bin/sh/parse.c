/* sh: splitting a line into words, operators and pipelines. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

/* All the words of a line live in this buffer, NUL-separated. */
static char words[LINE_MAX_LEN * 2];
static size_t used;

void parse_line(void)
{
	used = 0;
}

static int add_char(char c)
{
	if (used >= sizeof(words) - 1)
		return -1;
	words[used++] = c;
	return 0;
}

static void add_str(const char *s)
{
	while (*s)
		add_char(*s++);
}

/* Append the value of $... at *p (just after the '$'); advance *p. */
static void expand(const char **p)
{
	char num[16], name[64];
	size_t n = 0;

	if (**p == '?') {
		(*p)++;
		snprintf(num, sizeof(num), "%d", last_status);
		add_str(num);
		return;
	}
	if (**p == '$') {
		(*p)++;
		snprintf(num, sizeof(num), "%d", getpid());
		add_str(num);
		return;
	}
	while ((isalnum(**p) || **p == '_') && n < sizeof(name) - 1)
		name[n++] = *(*p)++;
	name[n] = 0;
	if (n == 0) {
		add_char('$');          /* a lone '$' stays itself */
		return;
	}
	const char *v = getenv(name);
	if (v)
		add_str(v);
}

static int is_special(char c)
{
	return c == '|' || c == '<' || c == '>' || c == '&' || c == ';';
}

/*
 * Read one word starting at *p into the buffer; return it, or NULL on an
 * unterminated quote.
 */
static char *read_word(const char **p)
{
	char *start = words + used;
	const char *s = *p;

	while (*s && !isspace(*s) && !is_special(*s)) {
		if (*s == '\'' || *s == '"') {
			char q = *s++;
			while (*s && *s != q) {
				if (q == '"' && *s == '$') {
					s++;
					expand(&s);
				} else {
					add_char(*s++);
				}
			}
			if (!*s) {
				fprintf(stderr, "sh: missing closing %c\n", q);
				return NULL;
			}
			s++;
		} else if (*s == '$') {
			s++;
			expand(&s);
		} else {
			add_char(*s++);
		}
	}
	add_char(0);
	*p = s;
	return start;
}

static void skip_space(const char **p)
{
	while (isspace(**p))
		(*p)++;
}

static int syntax_error(const char *what)
{
	fprintf(stderr, "sh: syntax error near %s\n", what);
	return -1;
}

int parse_pipeline(const char **line, struct pipeline *p)
{
	const char *s = *line;
	struct command *c;

	memset(p, 0, sizeof(*p));
	skip_space(&s);
	if (!*s || *s == '#') {
		*line = s + strlen(s);
		return 0;
	}
	c = &p->cmds[0];
	p->ncmds = 1;
	for (;;) {
		skip_space(&s);
		if (!*s || *s == '#' || *s == ';' || *s == '&') {
			if (*s == '&')
				p->background = 1;
			if (*s == ';' || *s == '&')
				s++;
			else
				s += strlen(s);
			break;
		}
		if (*s == '|') {
			if (c->argc == 0)
				return syntax_error("|");
			if (p->ncmds == MAX_CMDS)
				return syntax_error("| (too many commands)");
			c = &p->cmds[p->ncmds++];
			s++;
			continue;
		}
		/* Redirections: the operator, then a word. */
		char **target = NULL;
		if (!strncmp(s, "2>&1", 4)) {
			c->err_to_out = 1;
			s += 4;
			continue;
		} else if (!strncmp(s, "2>", 2) && (s == *line || isspace(s[-1]))) {
			target = &c->err;
			s += 2;
		} else if (!strncmp(s, ">>", 2)) {
			target = &c->out;
			c->append = 1;
			s += 2;
		} else if (*s == '>') {
			target = &c->out;
			c->append = 0;
			s++;
		} else if (*s == '<') {
			target = &c->in;
			s++;
		}
		if (target) {
			skip_space(&s);
			if (!*s || is_special(*s))
				return syntax_error("redirection");
			if (!(*target = read_word(&s)))
				return -1;
			continue;
		}
		char *w = read_word(&s);
		if (!w)
			return -1;
		if (c->argc == MAX_ARGS)
			return syntax_error("(too many arguments)");
		c->argv[c->argc++] = w;
	}
	*line = s;
	if (c->argc == 0 && (p->ncmds > 1 || c->in || c->out))
		return syntax_error("end of command");
	return 1;
}
