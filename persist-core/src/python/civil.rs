//! Calendar arithmetic for `datetime.timedelta` and `datetime.datetime`: microseconds split into
//! days, seconds and microseconds as Python normalises them, and days since the Unix epoch to a
//! proleptic Gregorian date and back (Howard Hinnant's `civil_from_days`), with the ranges
//! Python accepts. The writer and the reader both take them from here.

/// Microseconds in a day.
pub(crate) const DAY_US: i128 = 86_400_000_000;

/// The largest number of days a `timedelta` holds, either way (`timedelta.max.days`).
pub(crate) const TIMEDELTA_MAX_DAYS: i128 = 999_999_999;

/// A `timedelta` as Python normalises it: `days` of either sign, `0 <= seconds < 86400`,
/// `0 <= microseconds < 1_000_000`; `None` outside `timedelta`'s range.
pub(crate) fn split_timedelta(us: i128) -> Option<(i128, i128, i128)> {
    let days = us.div_euclid(DAY_US);
    let rest = us.rem_euclid(DAY_US);
    (days.abs() <= TIMEDELTA_MAX_DAYS).then_some((days, rest / 1_000_000, rest % 1_000_000))
}

/// The date `days` after 1970-01-01 as (year, month 1-12, day 1-31).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The days from 1970-01-01 to the date (year, month 1-12, day 1-31), which must be valid.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The number of days of `month` in `year`.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The years a `datetime` holds (`datetime.MINYEAR` to `MAXYEAR`).
pub(crate) const YEARS: std::ops::RangeInclusive<i64> = 1..=9999;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_over_the_whole_datetime_range() {
        let first = days_from_civil(1, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        assert_eq!(civil_from_days(first), (1, 1, 1));
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        let mut expected = (1, 1, 1);
        for days in first..=last {
            let date = civil_from_days(days);
            assert_eq!(date, expected, "{days}");
            assert_eq!(days_from_civil(date.0, date.1, date.2), days);
            expected = if date.2 < days_in_month(date.0, date.1) {
                (date.0, date.1, date.2 + 1)
            } else if date.1 < 12 {
                (date.0, date.1 + 1, 1)
            } else {
                (date.0 + 1, 1, 1)
            };
        }
    }

    #[test]
    fn timedeltas_split_as_python_normalises_them() {
        assert_eq!(split_timedelta(0), Some((0, 0, 0)));
        assert_eq!(split_timedelta(-1), Some((-1, 86_399, 999_999)));
        assert_eq!(split_timedelta(90_061_000_005), Some((1, 3661, 5)));
        assert!(split_timedelta(1_000_000_000 * DAY_US).is_none());
        assert!(split_timedelta(-TIMEDELTA_MAX_DAYS * DAY_US).is_some());
    }
}
