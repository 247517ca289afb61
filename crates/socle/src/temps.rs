//! The clock.
//!
//! Domain rules never read the system time: they take "today" as a parameter, and the server
//! gives them [`Clock::today`]. A training instance or a black-box test fixes the date with
//! `SOCLE_TODAY=2031-05-01` ([`FixedClock`]). "Today" is the civil date in the collectivité's time
//! zone (Europe/Paris unless configured), not the UTC date: a death declared at 00:30 in Paris
//! is declared on that day.

use std::fmt::Debug;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The default time zone of a collectivité.
pub const DEFAULT_TIMEZONE: Tz = chrono_tz::Europe::Paris;

/// Where "now" and "today" come from.
pub trait Clock: Send + Sync + Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// The time zone "today" is read in.
    fn timezone(&self) -> Tz {
        DEFAULT_TIMEZONE
    }

    /// Today's civil date in [`Clock::timezone`].
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.timezone()).date_naive()
    }
}

/// The system clock, read in a time zone.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    timezone: Tz,
}

impl SystemClock {
    /// The system clock in `timezone`.
    #[must_use]
    pub const fn new(timezone: Tz) -> Self {
        Self { timezone }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new(DEFAULT_TIMEZONE)
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn timezone(&self) -> Tz {
        self.timezone
    }
}

/// A clock whose date is fixed; the time of day still runs, so records keep their order.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock {
    today: NaiveDate,
    timezone: Tz,
}

impl FixedClock {
    /// A clock on `today` in `timezone`.
    #[must_use]
    pub const fn new(today: NaiveDate, timezone: Tz) -> Self {
        Self { today, timezone }
    }

    /// A clock on `today` in Europe/Paris.
    #[must_use]
    pub const fn on(today: NaiveDate) -> Self {
        Self::new(today, DEFAULT_TIMEZONE)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        let time = Utc::now().with_timezone(&self.timezone).time();
        self.today
            .and_time(time)
            .and_local_timezone(self.timezone)
            .earliest()
            // Only a time skipped by a daylight-saving change has no local instant.
            .map_or_else(
                || self.today.and_time(time).and_utc(),
                |t| t.with_timezone(&Utc),
            )
    }

    fn timezone(&self) -> Tz {
        self.timezone
    }

    fn today(&self) -> NaiveDate {
        self.today
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[derive(Debug)]
    struct At(DateTime<Utc>, Tz);
    impl Clock for At {
        fn now(&self) -> DateTime<Utc> {
            self.0
        }
        fn timezone(&self) -> Tz {
            self.1
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn today_is_the_paris_date_not_the_utc_date() {
        // 23:30 UTC on 14 July 2026 is 01:30 on 15 July in Paris (summer time, UTC+2).
        let late = Utc
            .with_ymd_and_hms(2026, 7, 14, 23, 30, 0)
            .single()
            .expect("valid");
        assert_eq!(At(late, DEFAULT_TIMEZONE).today(), date(2026, 7, 15));
        // 22:30 UTC on 14 January is 23:30 in Paris (winter time, UTC+1): still the 14th.
        let winter = Utc
            .with_ymd_and_hms(2026, 1, 14, 22, 30, 0)
            .single()
            .expect("valid");
        assert_eq!(At(winter, DEFAULT_TIMEZONE).today(), date(2026, 1, 14));
        // The same instant is still the 14th in La Réunion (UTC+4)… and the 15th there at 21:00 UTC.
        let reunion = chrono_tz::Indian::Reunion;
        let evening = Utc
            .with_ymd_and_hms(2026, 1, 14, 19, 30, 0)
            .single()
            .expect("valid");
        assert_eq!(At(evening, reunion).today(), date(2026, 1, 14));
        let night = Utc
            .with_ymd_and_hms(2026, 1, 14, 21, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(At(night, reunion).today(), date(2026, 1, 15));
    }

    #[test]
    fn fixed_clock_keeps_its_date() {
        let clock = FixedClock::on(date(2031, 5, 1));
        assert_eq!(clock.today(), date(2031, 5, 1));
        assert_eq!(
            clock.now().with_timezone(&DEFAULT_TIMEZONE).date_naive(),
            date(2031, 5, 1)
        );
    }
}
