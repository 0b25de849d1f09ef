//! The cube4sales-era endpoints: `GET /crm/customers?assignment_id=` and
//! `GET /responses?campaign_id=&from=&to=` (bare arrays; an assignment is a campaign),
//! and `POST /crm/customers` (creates a customer in the assignment's CRM).

use serde_json::{Map, Value};

use crate::http::{Request, Response};

use crate::auth::Caller;
use crate::data::customers::{Customer, FieldValue};
use crate::data::store::Created;
use crate::data::tenant::{Campaign, Crm};
use crate::error::ApiError;
use crate::pagination::{json_response, ListRequest};
use crate::params::{date_param, int_param};
use crate::record::array_json;
use crate::routes::outcomes::collect;
use crate::routes::{lookup, records};
use crate::state::State;

fn required<'a>(req: &'a ListRequest, name: &'static str) -> Result<&'a str, ApiError> {
    req.param(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::bad_param(name, format!("Missing required parameter {name}")))
}

pub fn customers(state: &State, caller: &Caller, req: &ListRequest) -> Result<Response, ApiError> {
    let t = &state.tenant;
    let campaign = lookup::campaign(t, caller, "assignment_id", required(req, "assignment_id")?)?;
    let crm = t
        .crm(campaign.owner_id, campaign.crm_type)
        .ok_or_else(ApiError::not_found)?;
    let store = state.store.read().expect("store lock");
    let mut list: Vec<_> = (campaign.lo..campaign.lo + campaign.len)
        .map(|i| records::legacy_customer(crm, store.generated(t, crm, i)))
        .collect();
    for c in store.created_for_assignment((crm.owner_id, crm.crm_type), campaign.id) {
        list.push(records::legacy_customer(crm, c));
    }
    Ok(json_response(array_json(&list)))
}

pub fn responses(state: &State, caller: &Caller, req: &ListRequest) -> Result<Response, ApiError> {
    let t = &state.tenant;
    let campaign = lookup::campaign(t, caller, "campaign_id", required(req, "campaign_id")?)?;
    let from = date_param("from", required(req, "from")?)?;
    let to = match req.param("to").filter(|v| !v.is_empty()) {
        Some(v) => date_param("to", v)?,
        None => t.today,
    };
    let crm = t
        .crm(campaign.owner_id, campaign.crm_type)
        .ok_or_else(ApiError::not_found)?;
    let store = state.store.read().expect("store lock");
    let list: Vec<_> = collect(t, &[campaign], from, to, false)
        .iter()
        .map(|(c, o)| records::legacy_response(c, o, store.generated(t, crm, o.customer)))
        .collect();
    Ok(json_response(array_json(&list)))
}

pub fn create(state: &State, caller: &Caller, request: &Request<'_>) -> Result<Response, ApiError> {
    let fields = body_object(request)?;
    let customer_id = text_field(&fields, "customer_id")?;
    let text = |f| optional_text(&fields, f);
    let (name, email) = (text("name")?, text("email")?);
    let phones = [text("phone_1")?, text("phone_2")?, text("phone_3")?];
    let assignment = text_field(&fields, "assignment_id")?;
    let assignment_id = int_param("assignment_id", &assignment)
        .map_err(|_| ApiError::field("assignment_id", "A valid integer is required."))?;
    let t = &state.tenant;
    let campaign: &Campaign = t.campaign(assignment_id).ok_or_else(|| {
        ApiError::field(
            "assignment_id",
            format!("Invalid pk \"{assignment_id}\" - object does not exist."),
        )
    })?;
    caller.require_owner(campaign.owner_id)?;
    let crm = t
        .crm(campaign.owner_id, campaign.crm_type)
        .ok_or_else(ApiError::not_found)?;
    let mut store = state.store.write().expect("store lock");
    if store.find(t, crm, &customer_id).is_some() {
        return Err(ApiError::field(
            "customer_id",
            "A customer with this customer_id already exists.",
        ));
    }
    let customer = Customer {
        id: customer_id,
        name,
        first_name: String::new(),
        last_name: String::new(),
        phones,
        email,
        updated: t.today,
        updated_by: caller.username.clone(),
        update_method: "API create".into(),
        custom: custom_values(crm, &fields),
        anonymized: false,
    };
    let record = records::legacy_customer(crm, customer.clone()).to_json();
    store.add_created(
        (crm.owner_id, crm.crm_type),
        Created {
            customer,
            assignment_id: Some(assignment_id),
        },
    );
    let mut response = json_response(record);
    response.status = 201;
    Ok(response)
}

/// The request's JSON object, as DRF's parser reads it (415 for another content type, 400 for
/// anything but a JSON object).
fn body_object(request: &Request<'_>) -> Result<Map<String, Value>, ApiError> {
    let content_type = request.header("content-type").unwrap_or("application/json");
    if !content_type.starts_with("application/json") {
        return Err(ApiError::new(
            415,
            format!("Unsupported media type \"{content_type}\" in request."),
        ));
    }
    let value: Value = serde_json::from_slice(request.body)
        .map_err(|e| ApiError::new(400, format!("JSON parse error - {e}")))?;
    let Value::Object(fields) = value else {
        return Err(ApiError::new(400, "Invalid data. Expected a dictionary."));
    };
    Ok(fields)
}

/// The CRM's custom values of a new customer, each by its legacy key or its label.
fn custom_values(crm: &Crm, fields: &Map<String, Value>) -> Vec<FieldValue> {
    crm.fields
        .iter()
        .map(|f| {
            let key = records::legacy_key(f.label).unwrap_or(f.label);
            match fields.get(key).or_else(|| fields.get(f.label)) {
                Some(Value::Number(n)) if n.is_i64() => FieldValue::Number(n.as_i64().unwrap_or(0)),
                Some(v) if !loose_text(v).is_empty() => FieldValue::Text(loose_text(v)),
                _ => FieldValue::Empty,
            }
        })
        .collect()
}

/// A required field given as a non-empty string or a number.
fn text_field(fields: &Map<String, Value>, name: &'static str) -> Result<String, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Err(ApiError::field(name, "This field is required.")),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(ApiError::field(name, "This field may not be blank."))
        }
        Some(v @ (Value::String(_) | Value::Number(_))) => Ok(loose_text(v)),
        Some(_) => Err(ApiError::field(name, "Not a valid string.")),
    }
}

/// An optional text field, like DRF's `CharField`: absent, a string or a number
/// (stringified); `null`, booleans, arrays and objects are 400s naming the field.
fn optional_text(fields: &Map<String, Value>, name: &'static str) -> Result<String, ApiError> {
    match fields.get(name) {
        None => Ok(String::new()),
        Some(Value::Null) => Err(ApiError::field(name, "This field may not be null.")),
        Some(v @ (Value::String(_) | Value::Number(_))) => Ok(loose_text(v)),
        Some(_) => Err(ApiError::field(name, "Not a valid string.")),
    }
}

fn loose_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}
