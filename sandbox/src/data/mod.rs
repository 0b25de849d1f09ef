//! The generated tenant: data owners, CRMs, campaigns, customers, outcomes.

pub mod dates;
