/*
 * Self-tests of the tty line discipline: characters are fed in as the
 * keyboard interrupt would, what is echoed is captured, and reads use
 * O_NONBLOCK semantics so that nothing sleeps.
 */
#include <kernel/heap.h>
#include <kernel/selftest.h>
#include <kernel/string.h>
#include <kernel/tty.h>
#include <kernel/x86.h>
#include <uapi/errno.h>

static char echoed[512];
static size_t echoed_len;

static void capture(struct tty *tty, const char *s, size_t n)
{
	(void)tty;
	for (size_t i = 0; i < n && echoed_len < sizeof echoed - 1; i++)
		echoed[echoed_len++] = s[i];
	echoed[echoed_len] = '\0';
}

static struct tty *new_tty(void)
{
	struct tty *tty = kmalloc(sizeof *tty);
	if (tty)
		tty_init_struct(tty, capture);
	echoed_len = 0;
	echoed[0] = '\0';
	return tty;
}

static void feed(struct tty *tty, const char *s)
{
	uint32_t irq = irq_save();	/* as in the interrupt handler */
	for (; *s; s++)
		tty_receive(tty, *s);
	irq_restore(irq);
}

/* Read what is there now (never sleeps): bytes or -EAGAIN. */
static long take(struct tty *tty, char *buf, size_t n)
{
	long r = tty_read_kernel(tty, buf, n, true);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

SELFTEST(tty_canonical_editing)
{
	struct tty *tty = new_tty();
	char buf[64];
	EXPECT(tty);
	feed(tty, "ab\177c");			/* DEL erases the b */
	EXPECT(take(tty, buf, sizeof buf) == -EAGAIN);	/* no whole line yet */
	feed(tty, "\r");			/* Enter: CR, made NL by ICRNL */
	EXPECT(take(tty, buf, sizeof buf) == 3 && strcmp(buf, "ac\n") == 0);
	EXPECT(strcmp(echoed, "ab\b \bc\r\n") == 0);
	/* a line read in pieces */
	feed(tty, "hello\n");
	EXPECT(take(tty, buf, 3) == 3 && strcmp(buf, "hel") == 0);
	EXPECT(take(tty, buf, sizeof buf) == 3 && strcmp(buf, "lo\n") == 0);
	EXPECT(take(tty, buf, sizeof buf) == -EAGAIN);
	/* two lines: one read returns one line */
	feed(tty, "1\n2\n");
	EXPECT(take(tty, buf, sizeof buf) == 2 && strcmp(buf, "1\n") == 0);
	EXPECT(take(tty, buf, sizeof buf) == 2 && strcmp(buf, "2\n") == 0);
	/* ^U kills the line, ^W a word */
	echoed_len = 0;
	feed(tty, "abc\025d\n");
	EXPECT(take(tty, buf, sizeof buf) == 2 && strcmp(buf, "d\n") == 0);
	EXPECT(strcmp(echoed, "abc\b \b\b \b\b \bd\r\n") == 0);
	feed(tty, "one two  \027\n");
	EXPECT(take(tty, buf, sizeof buf) == 5 && strcmp(buf, "one \n") == 0);
	/* erase at the start of a line does nothing */
	feed(tty, "\177\177x\n");
	EXPECT(take(tty, buf, sizeof buf) == 2 && strcmp(buf, "x\n") == 0);
	/* control characters echo as ^X and erase as two columns */
	echoed_len = 0;
	feed(tty, "\001\177");
	EXPECT(strcmp(echoed, "^A\b \b\b \b") == 0);
	kfree(tty);
}

SELFTEST(tty_eof_and_signals)
{
	struct tty *tty = new_tty();
	char buf[64];
	EXPECT(tty);
	feed(tty, "xy\004");			/* ^D sends the line without a newline */
	EXPECT(take(tty, buf, sizeof buf) == 2 && strcmp(buf, "xy") == 0);
	EXPECT(take(tty, buf, sizeof buf) == -EAGAIN);
	feed(tty, "\004");			/* on an empty line: end of file */
	EXPECT(take(tty, buf, sizeof buf) == 0);
	EXPECT(take(tty, buf, sizeof buf) == -EAGAIN);
	EXPECT(strcmp(echoed, "xy") == 0);	/* ^D itself is not echoed */
	/* ^C discards the input and echoes ^C */
	echoed_len = 0;
	feed(tty, "abc\n" "de\003");
	EXPECT(take(tty, buf, sizeof buf) == -EAGAIN);
	EXPECT(strcmp(echoed, "abc\r\nde^C") == 0);
	/* without ISIG it is an ordinary character */
	tty->termios.c_lflag &= ~ISIG;
	feed(tty, "\003\n");
	EXPECT(take(tty, buf, sizeof buf) == 2 && buf[0] == 3);
	kfree(tty);
}

SELFTEST(tty_raw_mode_and_output)
{
	struct tty *tty = new_tty();
	char buf[64];
	EXPECT(tty);
	feed(tty, "ab");			/* half a line, then raw mode */
	tty->termios.c_lflag &= ~(ICANON | ECHO);
	tty->canon = tty->head;			/* (what TCSETS does when ICANON goes off) */
	EXPECT(take(tty, buf, sizeof buf) == 2 && strcmp(buf, "ab") == 0);
	echoed_len = 0;
	feed(tty, "q\177");			/* no editing, no echo in raw mode */
	EXPECT(take(tty, buf, sizeof buf) == 2 && buf[0] == 'q' && buf[1] == 0177);
	EXPECT(echoed_len == 0);
	/* VMIN=0 VTIME=0: a read returns at once, with nothing */
	tty->termios.c_cc[VMIN] = 0;
	EXPECT(take(tty, buf, sizeof buf) == 0);
	/* output processing: NL -> CR NL with OPOST|ONLCR, untouched without */
	echoed_len = 0;
	tty_write_kernel(tty, "a\nb", 3);
	EXPECT(strcmp(echoed, "a\r\nb") == 0);
	echoed_len = 0;
	tty->termios.c_oflag &= ~OPOST;
	tty_write_kernel(tty, "a\nb", 3);
	EXPECT(strcmp(echoed, "a\nb") == 0);
	kfree(tty);
}

SELFTEST(tty_buffer_full)
{
	struct tty *tty = new_tty();
	static char buf[TTY_BUF_SIZE + 16];
	EXPECT(tty);
	tty->termios.c_lflag &= ~ECHO;
	uint32_t irq = irq_save();
	for (int i = 0; i < TTY_BUF_SIZE + 100; i++)
		tty_receive(tty, 'z');
	tty_receive(tty, '\n');			/* a line end always still fits */
	irq_restore(irq);
	long n = take(tty, buf, sizeof buf);
	EXPECT(n == TTY_BUF_SIZE);
	EXPECT(buf[n - 1] == '\n' && buf[n - 2] == 'z');
	EXPECT(take(tty, buf, sizeof buf) == -EAGAIN);
	kfree(tty);
}
