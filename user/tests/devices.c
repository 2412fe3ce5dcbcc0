/*
 * Device files: /dev/null, /dev/zero, and /dev/console as a terminal
 * (TCGETS/TCSETS, TIOCGWINSZ, TIOCGPGRP; ENOTTY elsewhere).
 */
#include "check.h"
#include <fcntl.h>
#include <sys/ioctl.h>

static void test_null_zero(void)
{
	char buf[256];
	int fd;

	CHECK_OK(fd = open("/dev/null", O_RDWR));
	CHECK_EQ(write(fd, "anything", 8), 8);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(lseek(fd, 100, SEEK_SET), 0);      /* seeking /dev/null always gives 0 */
	CHECK_OK(close(fd));

	CHECK_OK(fd = open("/dev/zero", O_RDWR));
	memset(buf, 0xff, sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(write(fd, buf, 100), 100);
	CHECK_ERR(read(fd, (void *)8, 10), EFAULT);
	CHECK_OK(close(fd));

	/* Neither is a terminal. */
	CHECK_OK(fd = open("/dev/null", O_RDONLY));
	struct termios t;
	CHECK_ERR(ioctl(fd, TCGETS, &t), ENOTTY);
	CHECK(!isatty(fd));
	CHECK_EQ(errno, ENOTTY);
	close(fd);
}

static void test_console(void)
{
	struct termios t, t2;
	struct winsize ws;
	int fd, pgrp;

	CHECK_OK(fd = open("/dev/console", O_RDWR | O_NOCTTY));
	CHECK(isatty(fd));
	CHECK_OK(ioctl(fd, TCGETS, &t));
	CHECK(t.c_lflag & ICANON);                  /* canonical mode with echo */
	CHECK(t.c_lflag & ECHO);
	CHECK(t.c_lflag & ISIG);
	CHECK(t.c_oflag & OPOST);
	CHECK(t.c_oflag & ONLCR);
	CHECK(t.c_iflag & ICRNL);
	CHECK_EQ(t.c_cc[VINTR], 3);                 /* ^C */
	CHECK_EQ(t.c_cc[VEOF], 4);                  /* ^D */
	CHECK_EQ(t.c_cc[VERASE], 0x7f);             /* DEL */

	/* TCSETS takes effect and reads back; then put it back. */
	t2 = t;
	t2.c_lflag &= ~(ICANON | ECHO);
	t2.c_cc[VMIN] = 1;
	t2.c_cc[VTIME] = 0;
	CHECK_OK(ioctl(fd, TCSETS, &t2));
	memset(&t2, 0, sizeof(t2));
	CHECK_OK(ioctl(fd, TCGETS, &t2));
	CHECK_EQ(t2.c_lflag & (ICANON | ECHO), 0);
	CHECK_EQ(t2.c_cc[VMIN], 1);
	CHECK_OK(ioctl(fd, TCSETSW, &t));
	CHECK_OK(ioctl(fd, TCGETS, &t2));
	CHECK_EQ(t2.c_lflag, t.c_lflag);

	CHECK_OK(ioctl(fd, TIOCGWINSZ, &ws));
	CHECK_ERR(ioctl(fd, TCGETS, (void *)8), EFAULT);
	CHECK_ERR(ioctl(fd, 0x5499, 0), ENOTTY);    /* an unknown request */
	(void)pgrp;

	/* Writing to the console works (it goes to the screen). */
	CHECK_EQ(write(fd, "", 0), 0);
	CHECK_OK(close(fd));
}

int main(void)
{
	test_null_zero();
	test_console();
	return 0;
}
