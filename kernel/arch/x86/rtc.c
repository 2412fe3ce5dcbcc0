/*
 * The CMOS real-time clock: read once at boot to know the wall-clock time
 * (CLOCK_REALTIME counts from it with the timer).  Registers: 0 seconds,
 * 2 minutes, 4 hours, 7 day, 8 month, 9 year (two digits), usually in BCD;
 * status register B says whether they are binary and 24-hour.
 */
#include <kernel/arch.h>
#include <kernel/x86.h>

#define CMOS_ADDR	0x70
#define CMOS_DATA	0x71

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_ADDR, reg);
	return inb(CMOS_DATA);
}

static uint32_t bcd(uint8_t v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0xF);
}

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian). */
static uint32_t days_since_epoch(uint32_t y, uint32_t m, uint32_t d)
{
	static const uint16_t before_month[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	uint32_t days = (y - 1970) * 365 + (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
	days += before_month[m - 1] + d - 1;
	if (m > 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		days++;
	return days;
}

uint32_t rtc_read_unix_time(void)
{
	while (cmos(0x0A) & 0x80)
		;	/* an update is in progress: wait for stable values */
	uint8_t regb = cmos(0x0B);
	bool binary = regb & 0x04;
	uint32_t sec = bcd(cmos(0x00), binary), min = bcd(cmos(0x02), binary);
	uint8_t hour_raw = cmos(0x04);
	uint32_t hour = bcd(hour_raw & 0x7F, binary);
	if (!(regb & 0x02) && (hour_raw & 0x80))
		hour = (hour % 12) + 12;	/* 12-hour clock, PM */
	uint32_t day = bcd(cmos(0x07), binary), month = bcd(cmos(0x08), binary);
	uint32_t year = 2000 + bcd(cmos(0x09), binary);
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return 0;
	return days_since_epoch(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}
