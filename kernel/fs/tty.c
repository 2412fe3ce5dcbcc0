/*
 * The console tty: /dev/console and /dev/tty, with a line discipline.
 *
 * A line discipline sits between the keyboard and the program reading.
 * In canonical mode (ICANON, the default) it collects a line, lets the
 * user edit it (ERASE = DEL erases a character, KILL = ^U the line,
 * WERASE = ^W a word) and hands it to read() only when Enter ends it;
 * EOF (^D) hands over the line without a newline, and on an empty line
 * makes read() return 0: end of file.  With ECHO it shows what is typed;
 * with ISIG, ^C ^\ ^Z become signals for the foreground process group.
 * In raw mode (ICANON off, as editors and line-editing shells set with
 * TCSETS) every byte goes to the reader at once, and VMIN/VTIME say how
 * many bytes a read waits for, and how long.
 *
 * Input arrives in interrupt handlers (tty_receive), so everything that
 * touches the input ring runs with interrupts off.  Output is
 * synchronous (the console writes each byte out before returning), so
 * "wait for output to drain" never has to wait.
 */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/fs.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/tty.h>
#include <kernel/uaccess.h>
#include <kernel/x86.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/signal.h>

#define MASK(i)		((i) & (TTY_BUF_SIZE - 1))
#define L(tty, f)	((tty)->termios.c_lflag & (f))
#define I(tty, f)	((tty)->termios.c_iflag & (f))
#define CC(tty, v)	((tty)->termios.c_cc[v])
#define TIOCOUTQ	0x5411
#define TCSBRK		0x5409
#define TCSBRKP		0x5425

static struct tty console_tty;

/* ^C, ^\ and ^Z: the signal goes to the terminal's foreground process group. */
void tty_hook_signal(int pgrp, int sig)
{
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	send_signal_pgrp(pgrp, sig, &info);
}

static void console_output(struct tty *tty, const char *s, size_t n)
{
	(void)tty;
	console_write_raw(s, n);
}

void tty_init_struct(struct tty *tty, void (*output)(struct tty *, const char *, size_t))
{
	/* Linux's defaults for a fresh tty (INIT_C_CC and tty_std_termios). */
	static const cc_t init_cc[NCCS] = {
		[VINTR] = 3, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025, [VEOF] = 4,
		[VTIME] = 0, [VMIN] = 1, [VSTART] = 021, [VSTOP] = 023, [VSUSP] = 032,
		[VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
	};
	memset(tty, 0, sizeof *tty);
	tty->termios.c_iflag = ICRNL | IXON;
	tty->termios.c_oflag = OPOST | ONLCR;
	tty->termios.c_cflag = B38400 | CS8 | CREAD | HUPCL;
	tty->termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(tty->termios.c_cc, init_cc, sizeof init_cc);
	tty->winsize.ws_row = 25;
	tty->winsize.ws_col = 80;
	tty->output = output;
}

/* --- output ----------------------------------------------------------------------- */

void tty_write_kernel(struct tty *tty, const char *buf, size_t n)
{
	char out[128];
	size_t k = 0;
	bool post = tty->termios.c_oflag & OPOST;
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];
		if (k + 2 > sizeof out) {
			tty->output(tty, out, k);
			k = 0;
		}
		if (post && c == '\n' && (tty->termios.c_oflag & ONLCR))
			out[k++] = '\r';
		else if (post && c == '\r' && (tty->termios.c_oflag & OCRNL))
			c = '\n';
		out[k++] = c;
	}
	if (k)
		tty->output(tty, out, k);
}

/* Show a typed character: control characters as ^X with ECHOCTL. */
static void echo_char(struct tty *tty, char c)
{
	unsigned char u = (unsigned char)c;
	if (L(tty, ECHOCTL) && (u < 32 || u == 0177) && c != '\n' && c != '\t') {
		char two[2] = { '^', (char)(u ^ 0100) };
		tty_write_kernel(tty, two, 2);
	} else {
		tty_write_kernel(tty, &c, 1);
	}
}

/* Undo the echo of the character c: one or two columns. */
static void echo_erase(struct tty *tty, char c)
{
	if (!L(tty, ECHO))
		return;
	if (!L(tty, ECHOE)) {
		echo_char(tty, CC(tty, VERASE));
		return;
	}
	unsigned char u = (unsigned char)c;
	int width = (L(tty, ECHOCTL) && (u < 32 || u == 0177) && c != '\t') ? 2 : 1;
	for (int i = 0; i < width; i++)
		tty_write_kernel(tty, "\b \b", 3);
}

/* --- input ------------------------------------------------------------------------- */

static void flush_input(struct tty *tty)
{
	tty->tail = tty->canon = tty->head;
}

static void wake_readers(struct tty *tty)
{
	wake_up(&tty->readers);
	poll_notify();
}

/* Store one byte at head; false when the buffer is full. */
static bool store(struct tty *tty, char c, uint8_t flags)
{
	uint32_t used = tty->head - tty->tail;
	/* In canonical mode keep the last slot for a line end, so a full
	 * line can always still be finished (Linux does the same). */
	if (used >= TTY_BUF_SIZE || (used == TTY_BUF_SIZE - 1 && L(tty, ICANON) && !flags))
		return false;
	tty->buf[MASK(tty->head)] = c;
	tty->flags[MASK(tty->head)] = flags;
	tty->head++;
	return true;
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

static void receive_canonical(struct tty *tty, char c)
{
	if (c == CC(tty, VERASE) || (c == CC(tty, VWERASE) && L(tty, IEXTEN)) || c == CC(tty, VKILL)) {
		bool word = c == CC(tty, VWERASE), line = c == CC(tty, VKILL);
		bool seen_word = false;
		if (line && L(tty, ECHO) && L(tty, ECHOK) && !L(tty, ECHOKE)) {
			echo_char(tty, c);	/* ECHOK alone: show ^U and start a new line */
			tty_write_kernel(tty, "\n", 1);
			tty->head = tty->canon;
			return;
		}
		while (tty->head != tty->canon) {
			char prev = tty->buf[MASK(tty->head - 1)];
			if (word && is_space(prev) && seen_word)
				break;
			if (!is_space(prev))
				seen_word = true;
			tty->head--;
			echo_erase(tty, prev);
			if (!word && !line)
				break;
		}
		return;
	}
	if (c == CC(tty, VREPRINT) && L(tty, IEXTEN)) {
		if (L(tty, ECHO)) {
			echo_char(tty, c);
			tty_write_kernel(tty, "\n", 1);
			for (uint32_t i = tty->canon; i != tty->head; i++)
				echo_char(tty, tty->buf[MASK(i)]);
		}
		return;
	}
	if (c == CC(tty, VEOF) && c) {
		/* The line so far goes to the reader as it is; on an empty line
		 * the marker alone makes read() return 0. */
		if (store(tty, c, TTY_DELIM | TTY_EOF)) {
			tty->canon = tty->head;
			wake_readers(tty);
		}
		return;
	}
	bool eol = c == '\n' || (c && (c == CC(tty, VEOL) || c == CC(tty, VEOL2)));
	if (!store(tty, c, eol ? TTY_DELIM : 0))
		return;			/* full: dropped (Linux would ring the bell) */
	if (L(tty, ECHO) || (c == '\n' && L(tty, ECHONL)))
		echo_char(tty, c);
	if (eol) {
		tty->canon = tty->head;
		wake_readers(tty);
	}
}

void tty_receive(struct tty *tty, char c)
{
	if (I(tty, ISTRIP))
		c &= 0x7f;
	if (c == '\r') {
		if (I(tty, IGNCR))
			return;
		if (I(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(tty, INLCR)) {
		c = '\r';
	}
	if (L(tty, ISIG) && c) {
		int sig = c == CC(tty, VINTR) ? SIGINT : c == CC(tty, VQUIT) ? SIGQUIT :
			  c == CC(tty, VSUSP) ? SIGTSTP : 0;
		if (sig) {
			if (!L(tty, NOFLSH))
				flush_input(tty);
			if (L(tty, ECHO))
				echo_char(tty, c);
			tty_hook_signal(tty->pgrp, sig);
			wake_readers(tty);
			return;
		}
	}
	if (L(tty, ICANON)) {
		receive_canonical(tty, c);
		return;
	}
	if (store(tty, c, 0)) {
		if (L(tty, ECHO))
			echo_char(tty, c);
		tty->canon = tty->head;
		wake_readers(tty);
	}
}

/* --- reading ----------------------------------------------------------------------- */

/* Canonical mode: at most one line (or what fits of it). */
static long read_canonical(struct tty *tty, char *buf, size_t n)
{
	size_t done = 0;
	while (done < n && tty->tail != tty->canon) {
		uint32_t at = MASK(tty->tail++);
		if (tty->flags[at] & TTY_EOF)
			break;			/* the ^D itself is not data */
		buf[done++] = tty->buf[at];
		if (tty->flags[at] & TTY_DELIM)
			break;
	}
	return (long)done;
}

static long take_raw(struct tty *tty, char *buf, size_t n)
{
	size_t done = 0;
	while (done < n && tty->tail != tty->canon)
		buf[done++] = tty->buf[MASK(tty->tail++)];
	return (long)done;
}

/*
 * The waiting rules (n_tty's), with avail the bytes ready:
 *   canonical        until a line is complete
 *   MIN>0, TIME=0    until min(MIN, n) bytes
 *   MIN=0, TIME=0    not at all
 *   MIN=0, TIME>0    until a byte, or TIME tenths of a second
 *   MIN>0, TIME>0    until MIN bytes, or TIME after the last byte came
 */
long tty_read_kernel(struct tty *tty, char *buf, size_t n, bool nonblock)
{
	if (n == 0)
		return 0;
	long ret = 0;
	uint32_t irq = irq_save();
	uint64_t start = timer_ticks(), last_change = start;
	uint32_t last_avail = tty->canon - tty->tail;
	for (;;) {
		bool canon = L(tty, ICANON);
		uint32_t avail = tty->canon - tty->tail;
		uint32_t vmin = CC(tty, VMIN), vtime = CC(tty, VTIME);
		uint64_t ticks = 0, now = timer_ticks(), tmo = (uint64_t)vtime * TIMER_HZ / 10;
		if (avail != last_avail) {
			last_avail = avail;
			last_change = now;
		}
		if (canon && avail) {
			ret = read_canonical(tty, buf, n);	/* 0 for a lone ^D: end of file */
			break;
		}
		if (!canon) {
			uint32_t want = vmin < n ? vmin : (uint32_t)n;
			if ((want && avail >= want) || (!vmin && avail) || (!vmin && !vtime)) {
				ret = take_raw(tty, buf, n);
				break;
			}
			if (vtime && !vmin) {
				if (now >= start + tmo)
					break;		/* timed out: 0 bytes */
				ticks = start + tmo - now;
			} else if (vtime && avail) {
				if (now >= last_change + tmo) {
					ret = take_raw(tty, buf, n);
					break;		/* the inter-byte timer ran out */
				}
				ticks = last_change + tmo - now;
			}
		}
		if (nonblock) {
			ret = avail && !canon ? take_raw(tty, buf, n) : -EAGAIN;
			break;
		}
		int err = fs_sleep_timeout(&tty->readers, ticks);
		if (err) {
			ret = err;
			break;
		}
	}
	irq_restore(irq);
	return ret;
}

/* --- the file --------------------------------------------------------------------- */

static long tty_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)pos;
	return tty_read_kernel(f->priv, buf, n, f->flags & O_NONBLOCK);
}

static long tty_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	(void)pos;
	tty_write_kernel(f->priv, buf, n);
	return (long)n;
}

static uint32_t tty_poll(struct file *f)
{
	struct tty *tty = f->priv;
	uint32_t mask = POLLOUT | POLLWRNORM;	/* output never blocks */
	if (tty->canon != tty->tail)
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

/* Does any live task belong to session sid? */
static bool session_alive(int sid)
{
	for (struct task *t = task_list(); t; t = t->all_next)
		if (t->sid == sid && t->state != TASK_ZOMBIE)
			return true;
	return false;
}

static bool pgrp_exists(int pgrp)
{
	for (struct task *t = task_list(); t; t = t->all_next)
		if (t->pgid == pgrp && t->state != TASK_ZOMBIE)
			return true;
	return false;
}

static void set_termios(struct tty *tty, const struct termios *t)
{
	uint32_t irq = irq_save();
	bool was_canon = L(tty, ICANON);
	tty->termios = *t;
	if (was_canon && !L(tty, ICANON))
		tty->canon = tty->head;	/* the line being edited is input now */
	wake_readers(tty);		/* VMIN/VTIME may be satisfied now */
	irq_restore(irq);
}

static long tty_ioctl(struct file *f, uint32_t cmd, uint32_t arg)
{
	struct tty *tty = f->priv;
	void *uarg = (void *)arg;
	struct termios t;
	int v;
	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &tty->termios, sizeof tty->termios);
	case TCSETSF:
	case TCSETSW:
	case TCSETS:
		if (copy_from_user(&t, uarg, sizeof t))
			return -EFAULT;
		if (cmd == TCSETSF) {
			uint32_t irq = irq_save();
			flush_input(tty);
			irq_restore(irq);
		}
		set_termios(tty, &t);
		return 0;
	case TIOCGWINSZ:
		return copy_to_user(uarg, &tty->winsize, sizeof tty->winsize);
	case TIOCSWINSZ:
		/* (no SIGWINCH: the console never changes size) */
		return copy_from_user(&tty->winsize, uarg, sizeof tty->winsize);
	case TIOCGPGRP:
		if (tty->owned && current->sid != tty->sid)
			return -ENOTTY;	/* not our controlling tty */
		return copy_to_user(uarg, &tty->pgrp, sizeof tty->pgrp);
	case TIOCSPGRP:
		if (copy_from_user(&v, uarg, sizeof v))
			return -EFAULT;
		if (tty->owned && current->sid != tty->sid)
			return -ENOTTY;
		if (v < 0)
			return -EINVAL;
		if (!pgrp_exists(v))
			return -ESRCH;
		tty->pgrp = v;
		return 0;
	case TIOCGSID:
		if (!tty->owned || current->sid != tty->sid)
			return -ENOTTY;
		return copy_to_user(uarg, &tty->sid, sizeof tty->sid);
	case TIOCSCTTY:
		tty->owned = true;
		tty->sid = current->sid;
		tty->pgrp = current->pgid;
		return 0;
	case TIOCNOTTY:
		return 0;
	case FIONREAD:
		v = (int)((L(tty, ICANON) ? tty->canon : tty->head) - tty->tail);
		return copy_to_user(uarg, &v, sizeof v);
	case TIOCOUTQ:
		v = 0;			/* output is written synchronously */
		return copy_to_user(uarg, &v, sizeof v);
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH) {
			uint32_t irq = irq_save();
			flush_input(tty);
			irq_restore(irq);
		}
		return 0;
	case TCXONC:
	case TCSBRK:
	case TCSBRKP:
		return 0;
	default:
		return -ENOTTY;
	}
}

static void tty_release(struct file *f)
{
	struct tty *tty = f->priv;
	tty->opens--;
}

const struct file_ops tty_fops = {
	.read = tty_read, .write = tty_write, .poll = tty_poll, .ioctl = tty_ioctl,
	.release = tty_release, .stream = true,
};

int tty_open(struct inode *inode, struct file *f)
{
	(void)inode;
	struct tty *tty = &console_tty;
	if (!tty->output)
		tty_init_struct(tty, console_output);
	f->ops = &tty_fops;
	f->priv = tty;
	/* A session leader (or anybody, while nobody has it) opening it
	 * makes it its controlling tty, as Linux does for a tty without one. */
	if (current && !(f->flags & O_NOCTTY) &&
	    (!tty->owned || (current->sid == current->pid && !session_alive(tty->sid)))) {
		tty->owned = true;
		tty->sid = current->sid;
		tty->pgrp = current->pgid;
	}
	uint32_t irq = irq_save();
	if (tty->opens++ == 0) {
		/* Type-ahead that waited in the console's raw queue. */
		int c;
		while ((c = console_raw_pop()) >= 0)
			tty_receive(tty, (char)c);
	}
	irq_restore(irq);
	return 0;
}

/* --- the console's side --------------------------------------------------------------- */

bool tty_console_active(void)
{
	return console_tty.opens > 0;
}

void tty_console_receive(char c)
{
	tty_receive(&console_tty, c);
}
