//! The login (`POST /auth/get-token`) and the token check every other call passes.

use super::error::ConnectFiError;
use super::ids;
use super::json::ConnectFiJson;
use super::state::ConnectFiState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::Json;
use bank_api::CalendarDate;
use connectfi_api::{Envelope, GetTokenRequest, Token, TOKEN_HEADER};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long "forever" is when the configured lifetime overflows the clock.
const CENTURY: Duration = Duration::from_secs(100 * 365 * 86_400);

/// `POST /auth/get-token`: a token for the configured user.
pub async fn get_token(
    State(state): State<ConnectFiState>,
    ConnectFiJson(request): ConnectFiJson<GetTokenRequest>,
) -> Result<Json<Envelope<Token>>, ConnectFiError> {
    // The body has to be read to learn who is logging in, so its shape is checked first.
    request.validate()?;
    if !state.is_user(&request.user.login, &request.user.password) {
        tracing::info!("connectFi login refused");
        return Err(ConnectFiError::unauthorized());
    }
    let token = ids::token();
    let lifetime = state.token_lifetime();
    let expires_at = Instant::now()
        .checked_add(lifetime)
        .unwrap_or_else(|| Instant::now() + CENTURY);
    let expires_on_the_clock = SystemTime::now()
        .checked_add(lifetime)
        .unwrap_or_else(|| SystemTime::now() + CENTURY);
    state.remember_token(token.clone(), expires_at);
    tracing::info!("connectFi token issued");
    Ok(Json(Envelope::success(
        Token {
            token,
            dts_expire_at: rfc3339_millis(expires_on_the_clock),
        },
        ids::request_id(),
    )))
}

/// Proof that a call carries a live `x-connectfi-token`.
pub struct Authorized;

impl FromRequestParts<ConnectFiState> for Authorized {
    type Rejection = ConnectFiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ConnectFiState,
    ) -> Result<Self, ConnectFiError> {
        let token = parts
            .headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        if token.is_some_and(|token| state.token_is_valid(token)) {
            Ok(Self)
        } else {
            Err(ConnectFiError::unauthorized())
        }
    }
}

/// `2026-11-22T10:00:00.000Z`: RFC 3339 in UTC with milliseconds, as connectFi writes
/// `dtsExpireAt`.
fn rfc3339_millis(time: SystemTime) -> String {
    let millis = match time.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_millis()).unwrap_or(i64::MAX),
        // A clock before 1970 is a broken clock; its absolute value is still a time.
        Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
    };
    let date = CalendarDate::from_days_since_epoch(millis.div_euclid(86_400_000));
    let in_day = millis.rem_euclid(86_400_000);
    let (hours, minutes) = (in_day / 3_600_000, in_day / 60_000 % 60);
    let (seconds, ms) = (in_day / 1000 % 60, in_day % 1000);
    format!("{date}T{hours:02}:{minutes:02}:{seconds:02}.{ms:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: u64) -> String {
        rfc3339_millis(UNIX_EPOCH + Duration::from_millis(millis))
    }

    #[test]
    fn expiry_times_are_rfc3339_utc_with_milliseconds() {
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        // connectFi's documented example.
        assert_eq!(at(1_665_130_737_360), "2022-10-07T08:18:57.360Z");
        assert_eq!(at(1_795_341_600_000), "2026-11-22T10:00:00.000Z");
        assert_eq!(at(951_868_799_999), "2000-02-29T23:59:59.999Z");
    }
}
