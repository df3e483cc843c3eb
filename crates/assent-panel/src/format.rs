//! Dates, durations and sizes in the reader's language.
//!
//! Dates use the browser's `Intl` (in the reader's time zone), so the wasm
//! carries no calendar; every instant comes from the server
//! (`assent_core::rights::time::Timestamp`), and countdowns run from the
//! server's time, never the browser's clock.

use assent_core::rights::time::Timestamp;
use js_sys::{Date, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::texts::Texts;

/// `at` as a long date and time (`7 January 2027 at 10:04`).
pub fn date_time(at: Timestamp, lang: &str) -> String {
    let options = Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
    Date::new(&JsValue::from_f64(at.0 as f64))
        .to_locale_string(lang, &options)
        .into()
}

/// `at` as a long date (`7 January 2027`).
pub fn date(at: Timestamp, lang: &str) -> String {
    let options = Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"long".into());
    Date::new(&JsValue::from_f64(at.0 as f64))
        .to_locale_date_string(lang, &options)
        .into()
}

/// A duration of `ms` as days, hours and minutes (`29 d 23 h 59 min`).
pub fn remaining(ms: u64, texts: &Texts) -> String {
    let minutes = ms / 60_000;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    format!(
        "{days} {} {hours} {} {minutes} {}",
        texts.days, texts.hours, texts.minutes
    )
}

/// A size in bytes, in the units people read (`1.2 MB`).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_000), "1.0 kB");
        assert_eq!(bytes(1_234_567), "1.2 MB");
        assert_eq!(bytes(1_160_000_000), "1.2 GB");
    }

    #[test]
    fn a_countdown_shows_days_hours_minutes() {
        let ms = ((29 * 24 + 23) * 60 + 59) * 60_000 + 59_000;
        assert_eq!(remaining(ms, &crate::texts::EN), "29 d 23 h 59 min");
        assert_eq!(remaining(0, &crate::texts::FR), "0 j 0 h 0 min");
    }
}
