//! The per-client rate limit: a token bucket per client IP address
//! (`governor`'s GCRA, equivalent to a token bucket), `--rate` tokens a
//! second up to `--burst`. A client over it gets `429 rate-limited` with
//! `Retry-After`, before its body is read.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Default sustained rate per client, requests a second.
pub const DEFAULT_RATE: u32 = 20_000;
/// Default burst per client, requests.
pub const DEFAULT_BURST: u32 = 40_000;

/// The buckets of every client seen recently.
pub struct RateLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl RateLimit {
    /// `per_second` requests a second per client, bursts of up to `burst`.
    pub fn new(per_second: NonZeroU32, burst: NonZeroU32) -> RateLimit {
        let quota = Quota::per_second(per_second).allow_burst(burst);
        RateLimit {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// Takes a token for `client`; when there is none, the seconds to wait
    /// (at least 1, for `Retry-After`).
    pub fn take(&self, client: IpAddr) -> Result<(), u64> {
        self.limiter.check_key(&client).map_err(|not_until| {
            let wait: Duration = not_until.wait_time_from(self.clock.now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }

    /// Forgets clients whose buckets are full again (run now and then, so
    /// memory follows the active clients, not every client ever seen).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_a_wait() {
        let limit = RateLimit::new(NonZeroU32::MIN, NonZeroU32::new(2).unwrap());
        let client: IpAddr = [127, 0, 0, 1].into();
        let other: IpAddr = [127, 0, 0, 2].into();
        assert_eq!(limit.take(client), Ok(()));
        assert_eq!(limit.take(client), Ok(()));
        let wait = limit.take(client).unwrap_err();
        assert!((1..=1).contains(&wait), "{wait}");
        assert_eq!(limit.take(other), Ok(()), "buckets are per client");
    }
}
