//! Basic and Token authentication, with DRF's messages for each way it can fail.

use base64::Engine;

use crate::config::{Config, Credentials};
use crate::error::ApiError;

const BASIC_CHALLENGE: &str = "Basic realm=\"api\"";
const TOKEN_CHALLENGE: &str = "Token";

/// Data owners an external user may see.
pub const EXTERNAL_DATA_OWNERS: &[u32] = &[1];

/// Who is calling.
#[derive(Clone, Debug)]
pub struct Caller {
    pub username: String,
    pub external: bool,
}

impl Caller {
    pub fn can_see_owner(&self, data_owner_id: u32) -> bool {
        !self.external || EXTERNAL_DATA_OWNERS.contains(&data_owner_id)
    }

    /// 403 unless the caller may see this data owner.
    pub fn require_owner(&self, data_owner_id: u32) -> Result<(), ApiError> {
        if self.can_see_owner(data_owner_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// 403 for external users.
    pub fn require_internal(&self) -> Result<(), ApiError> {
        if self.external {
            Err(ApiError::forbidden())
        } else {
            Ok(())
        }
    }
}

/// Checks the `Authorization` header against both users of the tenant.
/// `authorization`: the request's `Authorization` header, if any.
pub fn authenticate(authorization: Option<&str>, config: &Config) -> Result<Caller, ApiError> {
    let not_provided = || {
        ApiError::unauthorized(
            "Authentication credentials were not provided.",
            BASIC_CHALLENGE,
        )
    };
    let Some(text) = authorization else {
        return Err(not_provided());
    };
    let parts: Vec<&str> = text.split_whitespace().collect();
    let Some(scheme) = parts.first() else {
        return Err(not_provided());
    };
    let users = [(&config.demo, false), (&config.external, true)];
    if scheme.eq_ignore_ascii_case("basic") {
        let (user, pass) = decode_basic(&parts)?;
        users
            .iter()
            .find(|(c, _)| c.username == user && c.password == pass)
            .map(|(c, external)| caller(c, *external))
            .ok_or_else(|| ApiError::unauthorized("Invalid username/password.", BASIC_CHALLENGE))
    } else if scheme.eq_ignore_ascii_case("token") {
        match parts.len() {
            1 => Err(ApiError::unauthorized(
                "Invalid token header. No credentials provided.",
                TOKEN_CHALLENGE,
            )),
            2 => users
                .iter()
                .find(|(c, _)| c.token == parts[1])
                .map(|(c, external)| caller(c, *external))
                .ok_or_else(|| ApiError::unauthorized("Invalid token.", TOKEN_CHALLENGE)),
            _ => Err(ApiError::unauthorized(
                "Invalid token header. Token string should not contain spaces.",
                TOKEN_CHALLENGE,
            )),
        }
    } else {
        // DRF ignores schemes it does not know (e.g. Bearer): as if nothing was sent.
        Err(not_provided())
    }
}

fn caller(c: &Credentials, external: bool) -> Caller {
    Caller {
        username: c.username.clone(),
        external,
    }
}

/// `Basic base64(utf8(user:pass))`. The password may contain `:`; the username may not.
fn decode_basic(parts: &[&str]) -> Result<(String, String), ApiError> {
    let fail = |m: &str| ApiError::unauthorized(m.to_string(), BASIC_CHALLENGE);
    match parts.len() {
        1 => return Err(fail("Invalid basic header. No credentials provided.")),
        2 => {}
        _ => {
            return Err(fail(
                "Invalid basic header. Credentials string should not contain spaces.",
            ))
        }
    }
    let bad_encoding = || fail("Invalid basic header. Credentials not correctly base64 encoded.");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(parts[1])
        .map_err(|_| bad_encoding())?;
    let text = String::from_utf8(bytes).map_err(|_| bad_encoding())?;
    let (user, pass) = text.split_once(':').ok_or_else(bad_encoding)?;
    Ok((user.to_string(), pass.to_string()))
}
