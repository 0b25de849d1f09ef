//! Names of the Cube record fields this crate knows by heart.

/// The customer id from the integrator's own CRM; the default diff key.
pub const CUSTOMER_ID: &str = "crm__customer_id";
/// The customer's name (`"Anonymized"` for anonymized customers).
pub const NAME: &str = "crm__standard_info__name";
/// The three phone fields, in order.
pub const PHONES: [&str; 3] = [
    "crm__standard_info__phone_1",
    "crm__standard_info__phone_2",
    "crm__standard_info__phone_3",
];
/// The customer's e-mail.
pub const EMAIL: &str = "crm__standard_info__email";
/// Date of the last change, `YYYY-MM-DD`.
pub const UPDATED: &str = "crm__change_log__updated";
/// Who made the last change (an e-mail).
pub const UPDATED_BY: &str = "crm__change_log__updated_by";
/// How the last change was made (`Manual update`, `Import new`, …).
pub const UPDATE_METHOD: &str = "crm__change_log__update_method";
/// The three change-log fields, handy for `ignore_fields`.
pub const CHANGE_LOG: [&str; 3] = [UPDATED, UPDATED_BY, UPDATE_METHOD];
/// Prefix of custom fields: `crm__custom_info__<N>`.
pub const CUSTOM_PREFIX: &str = "crm__custom_info__";

/// Whether `key` is a custom field key (`crm__custom_info__<digits>`).
pub fn is_custom(key: &str) -> bool {
    key.strip_prefix(CUSTOM_PREFIX)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}
