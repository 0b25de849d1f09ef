//! Client configuration: the origin, the credentials and the limits of every request,
//! validated once when the client is made.

mod base_url;
mod limits;

pub use limits::whole_number as limits_whole_number;

pub use base_url::BaseUrl;
pub use limits::Limits;

use crate::auth::Auth;
use crate::retry::RetryPolicy;

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base: BaseUrl,
    pub auth: Auth,
    pub limits: Limits,
    pub retry: RetryPolicy,
}
