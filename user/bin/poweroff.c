/*
 * poweroff: end the machine.  On this kernel, under the test harness
 * (exit=qemu), QEMU exits with the success status; on Linux it powers off.
 */
#include <stdio.h>
#include <sys/reboot.h>

int main(void)
{
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	perror("poweroff");	/* only reached if the kernel refused */
	return 1;
}
