/*
 * The console tty and its line discipline (kernel/fs/tty.c).
 *
 * Characters typed arrive through console_input (kernel/console.c) from
 * the keyboard and serial interrupt handlers.  While some process has the
 * tty open they go through the line discipline (echo, erase, lines, ^C);
 * otherwise they wait in the console's raw queue for console_getc (the
 * kernel monitor), and the tty drains that queue when it is first opened.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/sched.h>
#include <uapi/ioctl.h>

#define TTY_BUF_SIZE	4096	/* input buffer: a power of two */

struct tty {
	struct termios termios;
	struct winsize winsize;
	int pgrp;			/* foreground process group (^C goes there) */
	bool owned;			/* it is some session's controlling tty */
	int sid;			/* that session */
	int opens;			/* open files of it; > 0: input goes through us */
	/* Output (echo and write): console_write_raw for the console. */
	void (*output)(struct tty *tty, const char *s, size_t n);
	/*
	 * Input ring.  head: next byte typed goes here; tail: next byte read
	 * comes from here; canon: end of what a reader may take (canonical
	 * mode: the end of the last complete line; raw mode: head).  Bytes
	 * in [canon, head) are the line being edited.  flags[] marks line
	 * ends (TTY_DELIM) and ^D markers (TTY_EOF, not data).
	 */
	char buf[TTY_BUF_SIZE];
	uint8_t flags[TTY_BUF_SIZE];
	uint32_t head, tail, canon;
	struct waitq readers;
};

#define TTY_DELIM	1
#define TTY_EOF		2

/* Put a tty into Linux's initial state (cooked, echo, ^C ^D ^U DEL). */
void tty_init_struct(struct tty *tty, void (*output)(struct tty *, const char *, size_t));
/* One typed character through the line discipline (interrupts off). */
void tty_receive(struct tty *tty, char c);
/* Read into a kernel buffer as read(2) on the tty would. */
long tty_read_kernel(struct tty *tty, char *buf, size_t n, bool nonblock);
/* Write with output processing (ONLCR). */
void tty_write_kernel(struct tty *tty, const char *buf, size_t n);

/* For console.c: is the console tty open, and feed it one character. */
bool tty_console_active(void);
void tty_console_receive(char c);

/*
 * HOOK for the signals issue: a signal character (^C SIGINT, ^\ SIGQUIT,
 * ^Z SIGTSTP) was typed; send sig to process group pgrp here.  Until then
 * it only discards the input, as Linux does before signalling.
 */
void tty_hook_signal(int pgrp, int sig);

#endif
