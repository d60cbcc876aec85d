//! Numbers, money and dates formatted by the browser's Intl API for the market's locale:
//! correct for every locale without shipping formatting rules in the download.

use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

fn locales(locale: &str) -> Array {
    Array::of1(&JsValue::from_str(locale))
}

/// A whole amount of money, e.g. `S$12,300` or `SGD 12,300` as the locale writes it.
pub fn money(amount: u64, currency: &str, locale: &str) -> String {
    let format = Intl::NumberFormat::new(
        &locales(locale),
        &options(&[
            ("style", "currency".into()),
            ("currency", currency.into()),
            ("maximumFractionDigits", 0.into()),
        ]),
    );
    format
        .format()
        .call1(&JsValue::NULL, &JsValue::from_f64(amount as f64))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{currency} {amount}"))
}

/// A calendar date (`YYYY-MM-DD`) in the locale's long form, e.g. `22 December 2026`.
pub fn date(iso: &str, locale: &str) -> String {
    let when = js_sys::Date::new(&JsValue::from_str(&format!("{iso}T00:00:00Z")));
    if when.get_time().is_nan() {
        return iso.to_owned();
    }
    let format = Intl::DateTimeFormat::new(
        &locales(locale),
        &options(&[("dateStyle", "long".into()), ("timeZone", "UTC".into())]),
    );
    format
        .format()
        .call1(&JsValue::NULL, &when)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| iso.to_owned())
}

/// A part of a date typed in fields of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Day,
    Month,
    Year,
}

/// The order the locale writes a date's day, month and year in (`en-PH` month first,
/// `zh-Hant-HK` year first, most day first), read from how `Intl` formats a date.
pub fn date_order(locale: &str) -> [DatePart; 3] {
    const DAY_FIRST: [DatePart; 3] = [DatePart::Day, DatePart::Month, DatePart::Year];
    let format = Intl::DateTimeFormat::new(
        &locales(locale),
        &options(&[
            ("year", "numeric".into()),
            ("month", "numeric".into()),
            ("day", "numeric".into()),
        ]),
    );
    let parts = format.format_to_parts(&js_sys::Date::new_0());
    let mut order = Vec::with_capacity(3);
    for part in parts.iter() {
        let kind = Reflect::get(&part, &JsValue::from_str("type"))
            .ok()
            .and_then(|k| k.as_string());
        let part = match kind.as_deref() {
            Some("day") => DatePart::Day,
            Some("month") => DatePart::Month,
            Some("year") => DatePart::Year,
            _ => continue,
        };
        order.push(part);
    }
    order.try_into().unwrap_or(DAY_FIRST)
}

/// The locale numbers and dates are written in: the customer's language as used in the
/// market (`zh-Hant-HK`, `ar-AE`, `en-SG`).
pub fn locale(journey: &onboarding_core::api::Journey) -> String {
    format!(
        "{}-{}",
        journey.language.tag(),
        journey.market.market.code()
    )
}
