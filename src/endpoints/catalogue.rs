//! Building a request from the endpoint table ([`super::table`]): the row says where the
//! request goes and which named rules apply; this file knows how to apply them.

use super::params::{self, ParamSource};
use super::query::{encode_component, with_query};
use super::table::{param_kind, Endpoint, Method, ParamKind, PathTemplate, Rule};
use super::{RequestSpec, Shape};
use crate::errors::{quote, CubeError};

/// Check `params` for `method` and build the request. `body` is the JSON text of the row's
/// body (its `body`: the `customer` object of [`Method::LegacyCreateCustomer`]).
pub fn build(
    method: Method,
    params: &dyn ParamSource,
    body: Option<&str>,
) -> Result<RequestSpec, CubeError> {
    let row = method.endpoint();
    let name = row.js_name;
    params::check_known(name, params, row.params)?;
    let template = match row.path {
        PathTemplate::Single(path) => path,
        PathTemplate::CampaignOrCrm { campaign, crm, all } => {
            match scope(name, params, all.is_some())? {
                Scope::Campaign => campaign,
                Scope::Crm => {
                    for rule in row.rules {
                        if let Rule::CampaignOnly(key) = rule {
                            refuse(name, params, key, "only with campaignId")?;
                        }
                    }
                    crm
                }
                Scope::All => all.expect("scope() allows All only when the row has it"),
            }
        }
    };
    let path = fill(name, params, template)?;
    let mut pairs = query(name, params, row)?;
    for rule in row.rules {
        match rule {
            Rule::DateRange => pairs.extend(date_range(name, params)?),
            Rule::LegacyDates => pairs.extend(legacy_dates(name, params)?),
            Rule::CampaignOnly(_) | Rule::LegacyCustomerBody => {}
        }
    }
    let body = if row.rules.contains(&Rule::LegacyCustomerBody) {
        Some(legacy_customer_body(name, body)?)
    } else {
        None
    };
    let start_page = if row.shape == Shape::Pages {
        params::start_page(name, params)?
    } else {
        1
    };
    Ok(RequestSpec {
        http_method: row.http,
        path_and_query: with_query(&path, &pairs),
        shape: row.shape,
        body,
        start_page,
    })
}

/// The path with each `{param}` replaced by the checked value of that parameter.
fn fill(name: &str, params: &dyn ParamSource, template: &str) -> Result<String, CubeError> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open
            + rest[open..]
                .find('}')
                .expect("a table path closes its braces");
        out.push_str(&rest[..open]);
        out.push_str(&path_value(name, params, &rest[open + 1..close])?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The value of a path parameter (always required), ready for the path.
fn path_value(name: &str, params: &dyn ParamSource, key: &str) -> Result<String, CubeError> {
    match param_kind(key) {
        Some(ParamKind::CrmType) => Ok(params::required_crm_type(name, params)?.to_string()),
        Some(ParamKind::CustomerId) => customer_id(name, params),
        Some(ParamKind::Id) => Ok(params::required_id(name, params, key)?.to_string()),
        other => {
            unreachable!("{key} ({other:?}) is in a table path: only ids and the CRM type are")
        }
    }
}

/// The row's query parameters that were given: ids (the legacy filters) are required,
/// text filters optional.
fn query(
    name: &str,
    params: &dyn ParamSource,
    row: &Endpoint,
) -> Result<Vec<(&'static str, String)>, CubeError> {
    let mut pairs = Vec::new();
    for &(key, wire) in row.query {
        let value = if param_kind(key) == Some(ParamKind::Id) {
            Some(params::required_id(name, params, key)?.to_string())
        } else {
            params::text(name, params, key, 100)?
        };
        if let Some(value) = value {
            pairs.push((wire, value));
        }
    }
    Ok(pairs)
}

fn customer_id(name: &str, params: &dyn ParamSource) -> Result<String, CubeError> {
    let id = params::text(name, params, "customerId", 200)?.ok_or_else(|| {
        CubeError::invalid_argument(
            "customerId",
            format!("{name}(): customerId is required (the customer's id, a text)"),
        )
    })?;
    // "." and ".." would be read as path segments by every URL parser (encoded too):
    // another endpoint would be called.
    if id == "." || id == ".." {
        return Err(CubeError::invalid_argument(
            "customerId",
            format!("{name}(): customerId {} is not a customer id", quote(&id)),
        ));
    }
    Ok(encode_component(&id))
}

/// The legacy `/responses` dates: `from` required, `to` optional.
fn legacy_dates(
    name: &str,
    params: &dyn ParamSource,
) -> Result<Vec<(&'static str, String)>, CubeError> {
    let from = params::date(name, params, "from")?.ok_or_else(|| {
        CubeError::invalid_argument(
            "from",
            format!("{name}(): from is required by the legacy /responses endpoint"),
        )
    })?;
    let to = params::date(name, params, "to")?;
    if let Some(to) = to {
        if from > to {
            return Err(from_after_to(name, from, to));
        }
    }
    let mut pairs = vec![("from", from.compact())];
    if let Some(to) = to {
        pairs.push(("to", to.compact()));
    }
    Ok(pairs)
}

enum Scope {
    Campaign,
    Crm,
    All,
}

/// A campaign (`campaignId`) or a CRM (`dataOwnerId` + `crmType`), never both.
fn scope(name: &str, params: &dyn ParamSource, all_allowed: bool) -> Result<Scope, CubeError> {
    let campaign = params::id(name, params, "campaignId")?;
    let owner = params::id(name, params, "dataOwnerId")?;
    let crm = params::crm_type(name, params)?;
    match (campaign, owner, crm) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(CubeError::invalid_argument(
            "campaignId",
            format!("{name}(): give either campaignId or dataOwnerId + crmType, not both"),
        )),
        (Some(_), None, None) => Ok(Scope::Campaign),
        (None, Some(_), Some(_)) => Ok(Scope::Crm),
        (None, Some(_), None) => Err(CubeError::invalid_argument(
            "crmType",
            format!("{name}(): crmType is required with dataOwnerId (\"B2C\" or \"B2B\")"),
        )),
        (None, None, Some(_)) => Err(CubeError::invalid_argument(
            "dataOwnerId",
            format!("{name}(): dataOwnerId is required with crmType"),
        )),
        (None, None, None) if all_allowed => Ok(Scope::All),
        (None, None, None) => Err(CubeError::invalid_argument(
            "campaignId",
            format!("{name}(): campaignId, or dataOwnerId + crmType, is required"),
        )),
    }
}

fn refuse(name: &str, params: &dyn ParamSource, key: &str, why: &str) -> Result<(), CubeError> {
    match params.get(key) {
        Some(_) => Err(CubeError::invalid_argument(
            key,
            format!("{name}(): {key} is accepted {why}"),
        )),
        None => Ok(()),
    }
}

/// `from`/`to` → `from_date`/`to_date`. Both or neither: with one missing, Cube silently
/// returns "today" only, which is never what a caller who gave one date meant.
fn date_range(
    name: &str,
    params: &dyn ParamSource,
) -> Result<Vec<(&'static str, String)>, CubeError> {
    let from = params::date(name, params, "from")?;
    let to = params::date(name, params, "to")?;
    match (from, to) {
        (None, None) => Ok(vec![]),
        (Some(from), Some(to)) if from > to => Err(from_after_to(name, from, to)),
        (Some(from), Some(to)) => Ok(vec![
            ("from_date", from.compact()),
            ("to_date", to.compact()),
        ]),
        (Some(_), None) => Err(CubeError::invalid_argument(
            "to",
            format!("{name}(): give both from and to, or neither (Cube then returns today only)"),
        )),
        (None, Some(_)) => Err(CubeError::invalid_argument(
            "from",
            format!("{name}(): give both from and to, or neither (Cube then returns today only)"),
        )),
    }
}

fn from_after_to(name: &str, from: super::dates::Date, to: super::dates::Date) -> CubeError {
    CubeError::invalid_argument(
        "from",
        format!("{name}(): from ({from}) is after to ({to}); swap them (Cube would answer an empty list)"),
    )
}

/// The legacy create body: a JSON object with `customer_id` (text) and `assignment_id`
/// (positive integer) at least.
fn legacy_customer_body(name: &str, body: Option<&str>) -> Result<String, CubeError> {
    let err = |msg: &str| CubeError::invalid_argument("customer", format!("{name}(): {msg}"));
    let body = body
        .ok_or_else(|| err("customer is required: an object with customer_id and assignment_id"))?;
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|_| err("customer must be a plain object"))?;
    let obj = value
        .as_object()
        .ok_or_else(|| err("customer must be a plain object"))?;
    match obj.get("customer_id") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {}
        Some(serde_json::Value::Number(_)) => {}
        _ => {
            return Err(CubeError::invalid_argument(
                "customer.customer_id",
                format!("{name}(): customer.customer_id is required (the id in your CRM)"),
            ))
        }
    }
    let assignment_ok = match obj.get("assignment_id") {
        Some(serde_json::Value::Number(n)) => n.as_u64().is_some_and(|n| n >= 1),
        Some(serde_json::Value::String(s)) => s.parse::<u64>().is_ok_and(|n| n >= 1),
        _ => false,
    };
    if !assignment_ok {
        return Err(CubeError::invalid_argument(
            "customer.assignment_id",
            format!("{name}(): customer.assignment_id is required (a positive integer)"),
        ));
    }
    Ok(body.to_string())
}
