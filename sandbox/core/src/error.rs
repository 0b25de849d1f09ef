//! API errors rendered like Django REST Framework: a status and `{"detail": ...}`.

use serde_json::{json, Value};

use crate::http::Response;

/// An error answer. `param` names the offending query or path parameter for 400s.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub detail: String,
    pub param: Option<&'static str>,
    pub www_authenticate: Option<&'static str>,
    /// The methods the path answers (`Allow`, sent with a 405).
    pub allow: Option<&'static str>,
    /// Also render DRF's serializer shape `{"<param>": ["<message>"]}`.
    pub field_message: Option<String>,
}

impl ApiError {
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            detail: detail.into(),
            param: None,
            www_authenticate: None,
            allow: None,
            field_message: None,
        }
    }

    /// 401 with the challenge DRF sends for the failed scheme.
    pub fn unauthorized(detail: impl Into<String>, challenge: &'static str) -> Self {
        ApiError {
            www_authenticate: Some(challenge),
            ..Self::new(401, detail)
        }
    }

    pub fn forbidden() -> Self {
        Self::new(403, "You do not have permission to perform this action.")
    }

    pub fn not_found() -> Self {
        Self::new(404, "Not found.")
    }

    pub fn invalid_page() -> Self {
        Self::new(404, "Invalid page.")
    }

    /// 400 naming the parameter.
    pub fn bad_param(param: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            param: Some(param),
            ..Self::new(400, detail)
        }
    }

    /// 400 for a body field, e.g. `{"customer_id": ["This field is required."],
    /// "detail": "customer_id: This field is required.", "param": "customer_id"}`.
    pub fn field(param: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError {
            param: Some(param),
            field_message: Some(message.clone()),
            ..Self::new(400, format!("{param}: {message}"))
        }
    }

    /// DRF's 405, with the `Allow` header RFC 9110 requires.
    pub fn method_not_allowed(method: &str, allow: &'static str) -> Self {
        ApiError {
            allow: Some(allow),
            ..Self::new(405, format!("Method \"{method}\" not allowed."))
        }
    }

    pub fn body(&self) -> Value {
        let mut body = json!({"detail": self.detail});
        if let Some(p) = self.param {
            body["param"] = json!(p);
            if let Some(m) = &self.field_message {
                body[p] = json!([m]);
            }
        }
        body
    }
}

impl ApiError {
    pub fn into_response(self) -> Response {
        let mut response = Response::json_value(self.status, &self.body());
        if let Some(challenge) = self.www_authenticate {
            response.set_header("www-authenticate", challenge);
        }
        if let Some(allow) = self.allow {
            response.set_header("allow", allow);
        }
        response
    }
}

impl From<ApiError> for Response {
    fn from(e: ApiError) -> Response {
        e.into_response()
    }
}
