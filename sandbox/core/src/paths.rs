//! Which paths are the emulated Cube API (logged, subject to faults and latency) and which
//! of them are paginated lists (where envelope faults apply).

/// True for paths of the emulated Cube API (logged, subject to faults and latency).
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/account/")
        || path == "/crm/customers"
        || path.starts_with("/crm/customers/")
        || path == "/responses"
        || path.starts_with("/responses/")
}

/// True for the paginated lists of `/api/v1` (where envelope faults apply).
pub fn is_paginated_path(path: &str) -> bool {
    if !path.starts_with("/api/v1/") {
        return false;
    }
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    matches!(
        last,
        "customers" | "callflow_customers" | "call_outcomes" | "product_registrations"
    )
}
