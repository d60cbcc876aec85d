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

/// The locale numbers and dates are written in: the customer's language as used in the
/// market (`zh-Hant-HK`, `ar-AE`, `en-SG`).
pub fn locale(journey: &onboarding_core::api::Journey) -> String {
    format!(
        "{}-{}",
        journey.language.tag(),
        journey.market.market.code()
    )
}
