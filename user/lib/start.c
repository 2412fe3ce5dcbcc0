/*
 * C start-up: split the initial stack into argc, argv, envp and the
 * auxiliary vector, then run main and exit with its result.
 */
#include <stdlib.h>
#include <unistd.h>
#include <uapi/auxv.h>

int main(int argc, char **argv, char **envp);

char **environ;
unsigned long *__auxv;          /* the (key, value) pairs, for getauxval */

unsigned long getauxval(unsigned long key)
{
	for (unsigned long *a = __auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == key)
			return a[1];
	return 0;
}

void __libc_start(long *sp) __attribute__((noreturn, used));
void __libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;      /* skip argv's NULL */
	char **p = envp;

	while (*p)
		p++;
	__auxv = (unsigned long *)(p + 1);  /* skip envp's NULL */
	environ = envp;
	exit(main(argc, argv, envp));
}
