//! Customer i of a CRM, computed in O(1) from (seed, owner, crm, i), and the id scheme
//! that maps a customer id back to i.

use crate::data::names::{
    ascii_slug, AGENTS, CITIES, COMPANY_WORDS, FIRST_NAMES, INDUSTRIES, LAST_NAMES, MAIL_DOMAINS,
    STREETS,
};
use crate::data::rng::{hash, tag, Draw};
use crate::data::tenant::{Crm, CrmType, FieldType, Tenant};
use crate::dates::Date;

/// A custom field's loose value.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Text(String),
    Number(i64),
    Empty,
}

#[derive(Clone, Debug)]
pub struct Customer {
    pub id: String,
    pub name: String,
    /// B2C only: the parts of `name` (for edits of the last name).
    pub first_name: String,
    pub last_name: String,
    pub phones: [String; 3],
    pub email: String,
    pub updated: Date,
    pub updated_by: String,
    pub update_method: String,
    /// One value per custom field of the CRM, in the CRM's field order.
    pub custom: Vec<FieldValue>,
    pub anonymized: bool,
}

/// Share of anonymized customers: 1 in this many.
const ANONYMIZED_ONE_IN: u64 = 53;

fn key(tenant: &Tenant, crm: &Crm, index: u32, t: u64) -> [u64; 5] {
    [
        tenant.seed,
        t,
        crm.owner_id as u64,
        crm.crm_type.index(),
        index as u64,
    ]
}

/// True when customer `index` gets a zero-padded id like `000417`.
fn padded_id(tenant: &Tenant, crm: &Crm, index: u32) -> bool {
    hash(&key(tenant, crm, index, tag::ID_STYLE)).is_multiple_of(5)
}

pub fn is_anonymized(tenant: &Tenant, crm: &Crm, index: u32) -> bool {
    hash(&key(tenant, crm, index, tag::CUSTOMER)) % ANONYMIZED_ONE_IN == 7
}

/// The id of generated customer `index`: `"0NNNNN"` (zero-padded) or `"1NNNNN"`-style.
pub fn customer_id(tenant: &Tenant, crm: &Crm, index: u32) -> String {
    let num = index as u64 + 1;
    if padded_id(tenant, crm, index) {
        format!("0{num:05}")
    } else {
        format!("{}", 100_000 + num)
    }
}

/// The index of a generated customer from its id, if the id is one of them.
pub fn index_of(tenant: &Tenant, crm: &Crm, id: &str) -> Option<u32> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 12 {
        return None;
    }
    let value: u64 = id.parse().ok()?;
    let num = if id.starts_with('0') {
        value
    } else {
        value.checked_sub(100_000)?
    };
    let index = u32::try_from(num.checked_sub(1)?).ok()?;
    if index >= tenant.customers_per_crm || is_anonymized(tenant, crm, index) {
        return None;
    }
    (customer_id(tenant, crm, index) == id).then_some(index)
}

pub fn generate(tenant: &Tenant, crm: &Crm, index: u32) -> Customer {
    let mut d = Draw::new(&key(tenant, crm, index, tag::CUSTOMER));
    if is_anonymized(tenant, crm, index) {
        return anonymized(tenant, crm, &mut d);
    }
    let first = *d.pick(FIRST_NAMES);
    let last = *d.pick(LAST_NAMES);
    let (name, email) = name_and_email(&mut d, crm.crm_type, first, last);
    let phones = phones(&mut d);
    let (updated_by, update_method) = match d.below(10) {
        0..=6 => (import_user(tenant, crm), "Import new"),
        7 | 8 => (import_user(tenant, crm), "Import update"),
        _ => (d.pick(AGENTS).0.to_string(), "Manual update"),
    };
    let updated = tenant.today.add_days(-d.range(61, 760));
    let city = *d.pick(CITIES);
    let custom = crm
        .fields
        .iter()
        .map(|f| {
            field_value(
                &mut d,
                f.label,
                f.field_type,
                city,
                first,
                last,
                tenant.today,
            )
        })
        .collect();
    Customer {
        id: customer_id(tenant, crm, index),
        name,
        first_name: first.into(),
        last_name: last.into(),
        phones,
        email,
        updated,
        updated_by,
        update_method: update_method.into(),
        custom,
        anonymized: false,
    }
}

/// An anonymized customer: no id, no values, anonymized some day of the last 400.
fn anonymized(tenant: &Tenant, crm: &Crm, d: &mut Draw) -> Customer {
    Customer {
        id: String::new(),
        name: "Anonymized".into(),
        first_name: String::new(),
        last_name: String::new(),
        phones: Default::default(),
        email: String::new(),
        updated: tenant.today.add_days(-d.range(1, 400)),
        updated_by: "gdpr@headshed.example".into(),
        update_method: "Anonymized".into(),
        custom: vec![FieldValue::Empty; crm.fields.len()],
        anonymized: true,
    }
}

/// A person (B2C, one in ten without an e-mail) or a company (B2B) named after `first` and
/// `last`, and its e-mail.
fn name_and_email(d: &mut Draw, crm_type: CrmType, first: &str, last: &str) -> (String, String) {
    match crm_type {
        CrmType::B2C => {
            let name = format!("{first} {last}");
            let email = if d.chance(10) {
                String::new()
            } else {
                let domain = d.pick(MAIL_DOMAINS);
                format!("{}.{}@{domain}", ascii_slug(first), ascii_slug(last))
            };
            (name, email)
        }
        CrmType::B2B => {
            let word = d.pick(COMPANY_WORDS);
            let name = format!("{last} {word} AS");
            let email = format!("post@{}{}.example.no", ascii_slug(last), ascii_slug(word));
            (name, email)
        }
    }
}

/// A mobile number, often a landline, seldom a second mobile.
fn phones(d: &mut Draw) -> [String; 3] {
    [
        phone(d, true),
        if d.chance(40) {
            phone(d, false)
        } else {
            String::new()
        },
        if d.chance(5) {
            phone(d, true)
        } else {
            String::new()
        },
    ]
}

/// Who Cube's Excel import is in a CRM's change log: `import@<data owner>.example`.
pub fn import_user(tenant: &Tenant, crm: &Crm) -> String {
    let slug = tenant
        .owner(crm.owner_id)
        .map(|o| o.slug.as_str())
        .unwrap_or("owner");
    format!("import@{slug}.example")
}

/// A Norwegian number in one of the formats people type.
pub fn phone(d: &mut Draw, mobile: bool) -> String {
    let first = if mobile {
        *d.pick(&[4u64, 9])
    } else {
        *d.pick(&[2u64, 3, 5, 7])
    };
    let rest = d.below(10_000_000);
    let digits = format!("{first}{rest:07}");
    match d.below(4) {
        0 => format!("+47{digits}"),
        1 => format!("+47 {} {} {}", &digits[..3], &digits[3..5], &digits[5..]),
        2 => format!("{} {} {}", &digits[..3], &digits[3..5], &digits[5..]),
        _ => digits,
    }
}

fn field_value(
    d: &mut Draw,
    label: &str,
    field_type: FieldType,
    (city, postal): (&str, u32),
    first: &str,
    last: &str,
    today: Date,
) -> FieldValue {
    let text = |s: String| FieldValue::Text(s);
    match label {
        "Address street" => {
            let letter = if d.chance(15) { "B" } else { "" };
            text(format!("{} {}{letter}", d.pick(STREETS), d.range(1, 140)))
        }
        "Postal code" => text(format!("{:04}", postal + d.below(8) as u32)),
        "City" => text(city.into()),
        "Birth year" => match d.below(100) {
            0..=7 => FieldValue::Empty,
            8..=14 => text(d.range(1940, 2006).to_string()),
            _ => FieldValue::Number(d.range(1940, 2006)),
        },
        "Employees" => FieldValue::Number(d.range(1, 400)),
        "Org number" => text(format!("9{:08}", d.below(100_000_000))),
        "Industry" => text(d.pick(INDUSTRIES).to_string()),
        "Preferred contact" => text(d.pick(&["Phone", "E-mail", "SMS"]).to_string()),
        "Newsletter" => match d.below(3) {
            0 => FieldValue::Empty,
            1 => text("Yes".into()),
            _ => text("No".into()),
        },
        "Contact person" => text(format!("{first} {last}")),
        "Notes" if d.chance(20) => text("Ønsker å bli ringt etter kl. 16".into()),
        _ => match field_type {
            FieldType::Date if d.chance(85) => {
                text(today.add_days(-d.range(100, 9000)).to_string())
            }
            FieldType::Number => FieldValue::Number(d.range(0, 100)),
            _ => FieldValue::Empty,
        },
    }
}
