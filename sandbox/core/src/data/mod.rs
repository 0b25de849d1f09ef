//! The generated tenant: data owners, CRMs, campaigns, customers, outcomes, and the
//! overlay of edits and imports.

pub mod callflow;
pub mod campaigns;
pub mod customers;
pub mod edits;
pub mod import;
pub mod names;
pub mod outcomes;
pub mod rng;
pub mod store;
pub mod targeted;
pub mod tenant;
