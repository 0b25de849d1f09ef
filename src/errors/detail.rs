//! Taking the server's message out of an error body.

const MAX_DETAIL_CHARS: usize = 300;

/// The `detail` of a Django REST Framework error body (`{"detail": "Invalid token."}`), or
/// for a validation error (`{"from_date": ["…"]}`) its fields joined; `None` for a body that
/// is not JSON (an HTML error page, say). Shortened to a readable length.
/// `secrets` are replaced before the text is shortened, so a credential the server echoed
/// can never survive in part where the cut falls inside it.
pub fn extract(body: &[u8], secrets: &[&str]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = match &value {
        serde_json::Value::Object(map) => match map.get("detail") {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => map
                .iter()
                .map(|(k, v)| format!("{k}: {}", flatten(v)))
                .collect::<Vec<_>>()
                .join("; "),
        },
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(flatten).collect::<Vec<_>>().join("; "),
        _ => return None,
    };
    let mut text = text.trim().to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret) {
            text = text.replace(secret, "[redacted]");
        }
    }
    if text.is_empty() {
        return None;
    }
    Some(shorten(&text))
}

fn flatten(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(flatten).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn shorten(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() <= MAX_DETAIL_CHARS {
        return clean;
    }
    let cut: String = clean.chars().take(MAX_DETAIL_CHARS).collect();
    format!("{cut}…")
}
