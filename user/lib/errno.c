/* errno, and the conversion of raw system-call results. */
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>

int errno;

long __syscall_ret(long raw)
{
	if ((unsigned long)raw >= (unsigned long)-4095) {
		errno = (int)-raw;
		return -1;
	}
	return raw;
}

long syscall(long n, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);    /* reads past the real arguments: harmless on i386 */
	va_end(ap);
	return __syscall_ret(__syscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]));
}
