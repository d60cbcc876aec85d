//! Reference data from the bank, cached per market and language (the bank writes the labels
//! in the customer's language): it changes rarely, and a session start should not cost
//! eight bank calls.

use crate::bank::{BankClient, BankError, CustomerLocale};
use bank_api::{paths, ReferenceDataResponse};
use onboarding_core::reference_data::{ReferenceList, ReferenceOption};
use onboarding_core::{ReferenceData, ReferenceField};
use reqwest::Method;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long fetched reference data is used before it is fetched again.
const FRESH_FOR: Duration = Duration::from_secs(3600);

/// Reference data per market and language.
#[derive(Default)]
pub struct ReferenceDataCache {
    markets: Mutex<HashMap<CustomerLocale, (Instant, Arc<ReferenceData>)>>,
}

impl ReferenceDataCache {
    /// The market's reference data in the language, fetched from the bank when the cache
    /// has none fresh.
    pub async fn get(
        &self,
        bank: &BankClient,
        locale: CustomerLocale,
    ) -> Result<Arc<ReferenceData>, BankError> {
        let mut markets = self.markets.lock().await;
        if let Some((_, data)) = markets
            .get(&locale)
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
        {
            return Ok(data.clone());
        }
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
        let data = Arc::new(ReferenceData { lists });
        markets.insert(locale, (Instant::now(), data.clone()));
        Ok(data)
    }
}
