//! The mutable overlay on the generated tenant: edits by simulated Cube users and by
//! imports, and customers created through the legacy API or an import. Reset restores the
//! state at start.

use std::collections::{BTreeMap, HashMap};

use crate::data::customers::{self, Customer, FieldValue};
use crate::data::tenant::{Crm, CrmType, Tenant};

/// Changed fields of a generated customer.
#[derive(Clone, Debug, Default)]
pub struct Patch {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub name: Option<String>,
    pub phones: [Option<String>; 3],
    pub email: Option<String>,
    /// Custom field values by the field's position in the CRM.
    pub custom: BTreeMap<usize, FieldValue>,
    pub updated: Option<crate::dates::Date>,
    pub updated_by: Option<String>,
    pub update_method: Option<String>,
}

impl Patch {
    fn apply(&self, c: &mut Customer) {
        if let Some(v) = &self.first_name {
            c.first_name = v.clone();
        }
        if let Some(v) = &self.last_name {
            c.last_name = v.clone();
        }
        if let Some(v) = &self.name {
            c.name = v.clone();
        }
        for (phone, new) in c.phones.iter_mut().zip(&self.phones) {
            if let Some(v) = new {
                *phone = v.clone();
            }
        }
        if let Some(v) = &self.email {
            c.email = v.clone();
        }
        for (&i, v) in &self.custom {
            if let Some(slot) = c.custom.get_mut(i) {
                *slot = v.clone();
            }
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

/// A customer created with `POST /crm/customers` or by an import.
#[derive(Clone, Debug)]
pub struct Created {
    pub customer: Customer,
    /// The campaign (legacy assignment) whose `/crm/customers` list shows it, if any.
    pub assignment_id: Option<u32>,
}

pub type CrmKey = (u32, CrmType);

/// The customers created in one CRM, in order of creation, and where each id is.
#[derive(Clone, Debug, Default)]
pub struct CreatedList {
    list: Vec<Created>,
    ids: HashMap<String, usize>,
}

impl CreatedList {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, pos: usize) -> Option<&Created> {
        self.list.get(pos)
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Store {
    pub patches: HashMap<(u32, CrmType, u32), Patch>,
    /// Created customers per CRM (add them with [`Store::add_created`]).
    pub created: HashMap<CrmKey, CreatedList>,
    /// Rounds of `POST /_sandbox/edits` without an explicit seed.
    pub edit_rounds: u64,
}

impl Store {
    /// Customers in a CRM: generated plus created.
    pub fn count(&self, tenant: &Tenant, key: CrmKey) -> usize {
        tenant.customers_per_crm as usize + self.created.get(&key).map_or(0, CreatedList::len)
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
        let created = self.created.get(&(crm.owner_id, crm.crm_type))?;
        let at = created.position(id)?;
        created.get(at).map(|c| c.customer.clone())
    }

    /// Appends a created customer to its CRM (its id must not be taken: see [`Store::find`]).
    pub fn add_created(&mut self, key: CrmKey, created: Created) {
        let c = self.created.entry(key).or_default();
        c.ids.insert(created.customer.id.clone(), c.list.len());
        c.list.push(created);
    }

    /// A created customer, to change in place.
    pub fn created_mut(&mut self, key: CrmKey, id: &str) -> Option<&mut Customer> {
        let created = self.created.get_mut(&key)?;
        let at = created.position(id)?;
        created.list.get_mut(at).map(|c| &mut c.customer)
    }

    pub fn created_for_assignment(&self, key: CrmKey, assignment_id: u32) -> Vec<Customer> {
        self.created
            .get(&key)
            .map(|c| {
                c.list
                    .iter()
                    .filter(|c| c.assignment_id == Some(assignment_id))
                    .map(|c| c.customer.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn patch_mut(&mut self, owner: u32, t: CrmType, index: u32) -> &mut Patch {
        self.patches.entry((owner, t, index)).or_default()
    }
}
