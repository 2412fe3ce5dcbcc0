/*
 * prctl options (Linux's <linux/prctl.h>), the ones this kernel answers.
 */
#ifndef UAPI_PRCTL_H
#define UAPI_PRCTL_H

#define PR_SET_PDEATHSIG        1       /* the signal to get when the parent dies */
#define PR_GET_PDEATHSIG        2
#define PR_GET_DUMPABLE         3
#define PR_SET_DUMPABLE         4
#define PR_SET_NAME             15      /* comm, 15 bytes and a NUL */
#define PR_GET_NAME             16
#define PR_SET_CHILD_SUBREAPER  36      /* orphans below come to us, not to init */
#define PR_GET_CHILD_SUBREAPER  37

#define SUID_DUMP_DISABLE       0
#define SUID_DUMP_USER          1

#endif
