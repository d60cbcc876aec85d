//! axum's JSON and path extractors, with their rejections answered as bank errors.

use crate::error::BankError;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::Json;
use serde::de::DeserializeOwned;

/// A JSON body of a bank type; a body that does not fit is a 400 `invalidRequest`.
pub struct BankJson<T>(pub T);

impl<T, S> FromRequest<S> for BankJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = BankError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(Self(value))
    }
}

/// Path parameters; a parameter that does not decode is a 400 `invalidRequest`.
pub struct BankPath<T>(pub T);

impl<T, S> FromRequestParts<S> for BankPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = BankError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(value) = Path::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}
