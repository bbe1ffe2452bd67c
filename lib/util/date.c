/*
 * date.c - statement dates (YYYY, YYYY-MM, YYYY-MM-DD) and id syntax.
 *
 * Dates are calendar dates, validated (month 1-12, day within the month,
 * leap years); partial dates stand for their first day.  Years run from
 * 1970 to 9999 so that every date is a valid, non-negative git time.
 */
#include <ctype.h>
#include <string.h>

#include "errors.h"
#include "posdiff/common.h"

static int parse_digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int posdiff_date_parse(int *year, int *month, int *day, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    int y = 0, m = 1, d = 1;

    if (!(n == 4 || (n == 7 && s[4] == '-') ||
          (n == 10 && s[4] == '-' && s[7] == '-')) ||
        parse_digits(s, 4, &y) < 0 ||
        (n >= 7 && parse_digits(s + 5, 2, &m) < 0) ||
        (n == 10 && parse_digits(s + 8, 2, &d) < 0))
        return error_set(POSDIFF_EINVALID,
                         "date '%s' is not YYYY, YYYY-MM or YYYY-MM-DD; write it like 2021-12-14",
                         s ? s : "");
    if (y < 1970 || y > 9999)
        return error_set(POSDIFF_EINVALID,
                         "date '%s': year must be between 1970 and 9999", s);
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return error_set(POSDIFF_EINVALID,
                         "date '%s' does not exist; give a real calendar date", s);
    if (year)
        *year = y;
    if (month)
        *month = m;
    if (day)
        *day = d;
    return 0;
}

int posdiff_id_valid(const char *id)
{
    size_t n = id ? strlen(id) : 0;

    if (n == 0 || n > 128 || strstr(id, ".."))
        return 0;
    if (!islower((unsigned char)id[0]) && !isdigit((unsigned char)id[0]))
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (!(islower(c) || isdigit(c) || c == '.' || c == '-'))
            return 0;
    }
    return id[n - 1] != '.';
}
