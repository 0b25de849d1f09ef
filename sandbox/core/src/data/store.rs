//! The mutable overlay on the generated tenant: edits by simulated Cube users and
//! customers created through the legacy API. Reset restores the state at start.

use std::collections::HashMap;

use crate::data::customers::{self, Customer};
use crate::data::tenant::{Crm, CrmType, Tenant};

/// Changed fields of a generated customer.
#[derive(Clone, Debug, Default)]
pub struct Patch {
    pub last_name: Option<String>,
    pub name: Option<String>,
    pub phone_1: Option<String>,
    pub email: Option<String>,
    pub updated: Option<crate::dates::Date>,
    pub updated_by: Option<String>,
    pub update_method: Option<String>,
}

impl Patch {
    fn apply(&self, c: &mut Customer) {
        if let Some(v) = &self.last_name {
            c.last_name = v.clone();
        }
        if let Some(v) = &self.name {
            c.name = v.clone();
        }
        if let Some(v) = &self.phone_1 {
            c.phones[0] = v.clone();
        }
        if let Some(v) = &self.email {
            c.email = v.clone();
        }
        if let Some(v) = self.updated {
            c.updated = v;
        }
        if let Some(v) = &self.updated_by {
            c.updated_by = v.clone();
        }
        if let Some(v) = &self.update_method {
            c.update_method = v.clone();
        }
    }
}

/// A customer created with `POST /crm/customers`.
#[derive(Clone, Debug)]
pub struct Created {
    pub customer: Customer,
    pub assignment_id: u32,
}

pub type CrmKey = (u32, CrmType);

#[derive(Clone, Debug, Default)]
pub struct Store {
    pub patches: HashMap<(u32, CrmType, u32), Patch>,
    pub created: HashMap<CrmKey, Vec<Created>>,
    /// Rounds of `POST /_sandbox/edits` without an explicit seed.
    pub edit_rounds: u64,
}

impl Store {
    /// Customers in a CRM: generated plus created.
    pub fn count(&self, tenant: &Tenant, key: CrmKey) -> usize {
        tenant.customers_per_crm as usize + self.created.get(&key).map_or(0, Vec::len)
    }

    /// Customer at position `pos` of the CRM's list (generated first, then created).
    pub fn customer_at(&self, tenant: &Tenant, crm: &Crm, pos: usize) -> Option<Customer> {
        let n = tenant.customers_per_crm as usize;
        if pos < n {
            return Some(self.generated(tenant, crm, pos as u32));
        }
        self.created
            .get(&(crm.owner_id, crm.crm_type))?
            .get(pos - n)
            .map(|c| c.customer.clone())
    }

    /// Generated customer `index` with its edits applied.
    pub fn generated(&self, tenant: &Tenant, crm: &Crm, index: u32) -> Customer {
        let mut c = customers::generate(tenant, crm, index);
        if let Some(p) = self.patches.get(&(crm.owner_id, crm.crm_type, index)) {
            p.apply(&mut c);
        }
        c
    }

    /// Looks a customer up by id (generated or created).
    pub fn find(&self, tenant: &Tenant, crm: &Crm, id: &str) -> Option<Customer> {
        if let Some(index) = customers::index_of(tenant, crm, id) {
            return Some(self.generated(tenant, crm, index));
        }
        self.created
            .get(&(crm.owner_id, crm.crm_type))?
            .iter()
            .find(|c| c.customer.id == id)
            .map(|c| c.customer.clone())
    }

    pub fn created_for_assignment(&self, key: CrmKey, assignment_id: u32) -> Vec<Customer> {
        self.created
            .get(&key)
            .map(|list| {
                list.iter()
                    .filter(|c| c.assignment_id == assignment_id)
                    .map(|c| c.customer.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn patch_mut(&mut self, owner: u32, t: CrmType, index: u32) -> &mut Patch {
        self.patches.entry((owner, t, index)).or_default()
    }
}
