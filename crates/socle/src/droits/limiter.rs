//! Slows down password guessing: after a few failed logins on one account, further attempts
//! are refused for a while, whatever their source.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins allowed per account in one window.
pub const MAX_FAILURES: u32 = 5;
/// The window, and how long an account stays locked once it is reached.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed-login counts per account, kept in memory by each server instance.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// `Err(wait)` while `account` is locked.
    ///
    /// # Errors
    /// How long to wait before trying again.
    pub fn check(&self, account: &str, now: Instant) -> Result<(), Duration> {
        let failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match failures.get(account) {
            Some((count, since))
                if *count >= MAX_FAILURES && now.duration_since(*since) < WINDOW =>
            {
                Err(WINDOW.saturating_sub(now.duration_since(*since)))
            }
            _ => Ok(()),
        }
    }

    /// Records a login attempt that has not succeeded (yet). Accounts whose window has passed
    /// are forgotten once the table grows, so it does not grow without bound.
    pub fn failed(&self, account: &str, now: Instant) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() > 10_000 {
            failures.retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
        }
        let entry = failures.entry(account.to_owned()).or_insert((0, now));
        if now.duration_since(entry.1) >= WINDOW {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    /// Forgets the failures of an account that logged in.
    pub fn succeeded(&self, account: &str) {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_max_failures_then_releases() {
        let limiter = LoginLimiter::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            limiter.failed("agent", start);
        }
        assert!(limiter.check("agent", start).is_ok(), "one attempt left");
        limiter.failed("agent", start);
        assert!(limiter.check("agent", start).is_err(), "locked");
        assert!(
            limiter.check("autre", start).is_ok(),
            "other accounts unaffected"
        );
        let almost = start + WINDOW - Duration::from_secs(1);
        assert_eq!(limiter.check("agent", almost), Err(Duration::from_secs(1)));
        assert!(limiter.check("agent", start + WINDOW).is_ok(), "released");
    }

    #[test]
    fn success_resets() {
        let limiter = LoginLimiter::default();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            limiter.failed("agent", now);
        }
        limiter.succeeded("agent");
        limiter.failed("agent", now);
        assert!(limiter.check("agent", now).is_ok());
    }
}
