//! Wall-clock time for core's rules, which take `now_ms` as an argument.

/// Milliseconds since the Unix epoch, from `Date.now()`.
pub fn now_ms() -> u64 {
    let now = js_sys::Date::now();
    if now.is_finite() && now > 0.0 {
        now as u64
    } else {
        0
    }
}
