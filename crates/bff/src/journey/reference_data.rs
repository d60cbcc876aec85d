//! Reference data from the bank, cached per market and language (the bank writes the labels
//! in the customer's language): it changes rarely, and a session start should not cost
//! eight bank calls. Once an hour one request fetches it again while the others are served
//! what was fetched before, for at most a day (see `cache.rs`).

use crate::bank::{BankClient, BankError, CustomerLocale};
use crate::cache::{Fetched, RefreshingCache};
use bank_api::{paths, ReferenceDataResponse};
use onboarding_core::reference_data::{ReferenceList, ReferenceOption};
use onboarding_core::{ReferenceData, ReferenceField};
use reqwest::Method;
use std::sync::Arc;
use std::time::Duration;

/// How long fetched reference data is used before it is fetched again.
const FRESH_FOR: Duration = Duration::from_secs(3600);
/// How long it is still served while the bank cannot give it again: the bank's lists of
/// titles and occupations do not change in a day, and a session start should not fail
/// because the bank's utilities are down for a while.
const USABLE_FOR: Duration = Duration::from_secs(24 * 3600);

/// Reference data per market and language.
#[derive(Default)]
pub struct ReferenceDataCache {
    markets: RefreshingCache<CustomerLocale, Arc<ReferenceData>>,
}

impl ReferenceDataCache {
    /// The market's reference data in the language, fetched from the bank when the cache
    /// has none fresh.
    pub async fn get(
        &self,
        bank: &BankClient,
        locale: CustomerLocale,
    ) -> Result<Arc<ReferenceData>, BankError> {
        self.markets.get(&locale, || fetch(bank, locale)).await
    }
}

/// Every reference-data list of the market, in the language.
async fn fetch(
    bank: &BankClient,
    locale: CustomerLocale,
) -> Result<Fetched<Arc<ReferenceData>>, BankError> {
    let fetches = ReferenceField::ALL.map(|field| async move {
        let response: ReferenceDataResponse = bank
            .call(
                Method::GET,
                &paths::reference_data(field.reference_code()),
                locale,
                None::<&()>,
            )
            .await?;
        let options = response
            .values
            .into_iter()
            .map(|v| ReferenceOption {
                code: v.code,
                label: v.description,
            })
            .collect();
        Ok::<_, BankError>(ReferenceList { field, options })
    });
    let lists = futures_util::future::try_join_all(fetches).await?;
    Ok(Fetched {
        value: Arc::new(ReferenceData { lists }),
        fresh_for: FRESH_FOR,
        usable_for: USABLE_FOR,
    })
}
