//! The tenant's fixed structure, built at start: data owners, CRMs and their custom
//! fields, services and campaigns. Customers and outcomes are generated on demand.

use crate::data::campaigns::build_campaign;
pub use crate::data::campaigns::{Campaign, LooseBool, LooseDate};
use crate::data::names::{ascii_slug, DATA_OWNERS};
use crate::data::rng::{tag, Draw};
use crate::dates::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CrmType {
    B2C,
    B2B,
}

impl CrmType {
    pub const ALL: [CrmType; 2] = [CrmType::B2C, CrmType::B2B];

    pub fn as_str(self) -> &'static str {
        match self {
            CrmType::B2C => "B2C",
            CrmType::B2B => "B2B",
        }
    }

    /// Exact, case-sensitive: the API's values are `B2C` and `B2B`.
    pub fn parse(s: &str) -> Option<CrmType> {
        match s {
            "B2C" => Some(CrmType::B2C),
            "B2B" => Some(CrmType::B2B),
            _ => None,
        }
    }

    pub fn index(self) -> u64 {
        match self {
            CrmType::B2C => 0,
            CrmType::B2B => 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Number,
    Date,
    Choice,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Choice => "choice",
        }
    }
}

#[derive(Clone, Debug)]
pub struct CustomField {
    pub id: u32,
    pub label: &'static str,
    pub field_type: FieldType,
    pub max_length: u32,
    pub hint: &'static str,
    /// `crm__custom_info__<id>`
    pub lookup_key: String,
}

#[derive(Clone, Debug)]
pub struct Crm {
    pub owner_id: u32,
    pub crm_type: CrmType,
    pub fields: Vec<CustomField>,
}

impl Crm {
    pub fn field(&self, label: &str) -> Option<&CustomField> {
        self.fields.iter().find(|f| f.label == label)
    }
}

#[derive(Clone, Debug)]
pub struct DataOwner {
    pub id: u32,
    pub name: String,
    /// For the import user's e-mail.
    pub slug: String,
    pub crms: [Crm; 2],
}

impl DataOwner {
    pub fn crm(&self, t: CrmType) -> &Crm {
        &self.crms[t.index() as usize]
    }
}

pub const SERVICES: &[(u32, &str)] = &[(1, "Meetings"), (2, "Product sales"), (3, "Survey")];

/// The immutable part of the tenant.
#[derive(Debug)]
pub struct Tenant {
    pub seed: u64,
    pub today: Date,
    pub customers_per_crm: u32,
    pub outcomes_per_campaign: u32,
    pub campaigns_per_owner: u32,
    pub owners: Vec<DataOwner>,
    pub campaigns: Vec<Campaign>,
}

const B2C_FIELDS: &[(&str, FieldType, &str)] = &[
    ("Address street", FieldType::Text, ""),
    ("Postal code", FieldType::Text, "Four digits"),
    ("City", FieldType::Text, ""),
    ("Birth year", FieldType::Number, "YYYY"),
    ("Customer since", FieldType::Date, "YYYY-MM-DD"),
    (
        "Preferred contact",
        FieldType::Choice,
        "Phone, E-mail or SMS",
    ),
    ("Newsletter", FieldType::Choice, "Yes or No"),
    ("Notes", FieldType::Text, "Free text"),
];

const B2B_FIELDS: &[(&str, FieldType, &str)] = &[
    ("Org number", FieldType::Text, "Nine digits"),
    ("Industry", FieldType::Choice, ""),
    ("Address street", FieldType::Text, ""),
    ("Postal code", FieldType::Text, "Four digits"),
    ("City", FieldType::Text, ""),
    ("Employees", FieldType::Number, ""),
    ("Founded", FieldType::Date, "YYYY-MM-DD"),
    ("Contact person", FieldType::Text, ""),
];

/// What the tenant is generated from (the config's `--seed`, `--data-owners`,
/// `--customers`, `--campaigns`, `--outcomes`).
#[derive(Clone, Copy, Debug)]
pub struct Generation {
    pub seed: u64,
    pub data_owners: u32,
    pub customers: u32,
    pub campaigns: u32,
    pub outcomes: u32,
}

/// Data owner `owner_id`'s CRM of type `t`: the first 5 to 8 fields of the type's pool, with
/// ids from `next_field_id` on (not contiguous: a gap now and then).
fn build_crm(seed: u64, owner_id: u32, t: CrmType, next_field_id: &mut u32) -> Crm {
    let mut d = Draw::new(&[seed, tag::FIELDS, owner_id as u64, t.index()]);
    let pool = if t == CrmType::B2C {
        B2C_FIELDS
    } else {
        B2B_FIELDS
    };
    let count = 5 + d.below(4) as usize;
    let fields = pool[..count]
        .iter()
        .map(|(label, field_type, hint)| {
            if d.chance(15) {
                *next_field_id += 300 + d.below(40) as u32; // ids are not contiguous
            }
            let fid = *next_field_id;
            *next_field_id += 1;
            CustomField {
                id: fid,
                label,
                field_type: *field_type,
                max_length: match field_type {
                    FieldType::Text => 200,
                    FieldType::Choice => 100,
                    _ => 20,
                },
                hint,
                lookup_key: format!("crm__custom_info__{fid}"),
            }
        })
        .collect();
    Crm {
        owner_id,
        crm_type: t,
        fields,
    }
}

impl Tenant {
    pub fn build(config: &Generation, today: Date) -> Tenant {
        let seed = config.seed;
        let n = config.customers;
        let mut next_field_id = 64u32;
        let mut owners = Vec::new();
        let mut campaigns = Vec::new();
        for id in 1..=config.data_owners {
            let base = DATA_OWNERS[(id as usize - 1) % DATA_OWNERS.len()];
            let name = if (id as usize) <= DATA_OWNERS.len() {
                base.to_string()
            } else {
                format!("{base} {id}")
            };
            let crms = CrmType::ALL.map(|t| build_crm(seed, id, t, &mut next_field_id));
            for k in 1..=config.campaigns.min(99) {
                campaigns.push(build_campaign(seed, id, k, n, today));
            }
            owners.push(DataOwner {
                id,
                slug: ascii_slug(base.split(' ').next().unwrap_or("owner")),
                name,
                crms,
            });
        }
        Tenant {
            seed,
            today,
            customers_per_crm: n,
            outcomes_per_campaign: config.outcomes,
            campaigns_per_owner: config.campaigns.min(99),
            owners,
            campaigns,
        }
    }

    pub fn owner(&self, id: u32) -> Option<&DataOwner> {
        self.owners.get((id as usize).checked_sub(1)?)
    }

    pub fn crm(&self, owner_id: u32, t: CrmType) -> Option<&Crm> {
        self.owner(owner_id).map(|o| o.crm(t))
    }

    /// Campaign ids are `owner * 100 + k` and stored grouped by owner: O(1).
    pub fn campaign(&self, id: u32) -> Option<&Campaign> {
        let (owner, k) = (id / 100, id % 100);
        if owner == 0 || k == 0 || k > self.campaigns_per_owner {
            return None;
        }
        let index = (owner - 1) as usize * self.campaigns_per_owner as usize + (k - 1) as usize;
        self.campaigns.get(index).filter(|c| c.id == id)
    }

    pub fn campaigns_of(&self, owner_id: u32) -> impl Iterator<Item = &Campaign> + Clone {
        let per = self.campaigns_per_owner as usize;
        let start = (owner_id as usize).saturating_sub(1) * per;
        let slice = match self.owner(owner_id) {
            Some(_) => &self.campaigns[start..start + per],
            None => &[],
        };
        slice.iter()
    }

    /// The campaign whose status a customer shows in the CRM-wide callflow list.
    pub fn campaign_for_customer(
        &self,
        owner_id: u32,
        t: CrmType,
        index: u32,
    ) -> Option<&Campaign> {
        let of_crm = || self.campaigns_of(owner_id).filter(move |c| c.crm_type == t);
        of_crm()
            .find(|c| c.covers(index))
            .or_else(|| of_crm().next())
    }
}
