/*
 * prctl for guest processes, with the host kernel's answers
 * (kernel/prctl.c): the name, the parent-death signal, dumpable, the
 * child subreaper; any other option is EINVAL, as on Linux.
 */
#include "sys.h"
#include <string.h>
#include <uapi/prctl.h>

long sys_prctl(struct proc *p, int option, uint32_t arg2)
{
	switch (option) {
	case PR_SET_NAME: {
		char name[16];
		memset(name, 0, sizeof name);
		int n = strncpy_from_user(p, name, arg2, sizeof name - 1);
		if (n < 0 && n != -ENAMETOOLONG)
			return n;
		name[sizeof name - 1] = 0;
		memcpy(p->comm, name, sizeof name);
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user(p, arg2, p->comm, 16);
	case PR_SET_PDEATHSIG:
		if (arg2 > 64)
			return -EINVAL;
		p->pdeath_signal = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return copy_to_user(p, arg2, &p->pdeath_signal, sizeof(int));
	case PR_GET_DUMPABLE:
		return p->dumpable;
	case PR_SET_DUMPABLE:
		if (arg2 != SUID_DUMP_DISABLE && arg2 != SUID_DUMP_USER)
			return -EINVAL;
		p->dumpable = (int)arg2;
		return 0;
	case PR_SET_CHILD_SUBREAPER:
		p->child_subreaper = arg2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return copy_to_user(p, arg2, &p->child_subreaper, sizeof(int));
	default:
		return -EINVAL;
	}
}
