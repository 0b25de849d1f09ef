/// Stable error codes: programs switch on these; they never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthorized,
    Forbidden,
    NotFound,
    BadRequest,
    RateLimited,
    Server,
    Timeout,
    Aborted,
    Network,
    InvalidResponse,
    InvalidArgument,
    /// The records module ran out of memory (wasm32 holds at most 4 GB): an allocation failed.
    OutOfMemory,
    /// A wasm module stopped on a fault that is not an allocation failure: a bug.
    Internal,
    /// The runtime refused to compile the package's WebAssembly: a page's (or an extension's)
    /// Content-Security-Policy without `'wasm-unsafe-eval'`. Made by the JS layer (the wasm
    /// never started), listed here so that every code has one source.
    WasmBlocked,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::BadRequest,
        ErrorCode::RateLimited,
        ErrorCode::Server,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
        ErrorCode::Network,
        ErrorCode::InvalidResponse,
        ErrorCode::InvalidArgument,
        ErrorCode::OutOfMemory,
        ErrorCode::Internal,
        ErrorCode::WasmBlocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Server => "server",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Aborted => "aborted",
            ErrorCode::Network => "network",
            ErrorCode::InvalidResponse => "invalid_response",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::OutOfMemory => "out_of_memory",
            ErrorCode::Internal => "internal",
            ErrorCode::WasmBlocked => "wasm_blocked",
        }
    }

    /// The code for a non-200 HTTP status.
    pub fn from_status(status: u16) -> ErrorCode {
        match status {
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 | 410 => ErrorCode::NotFound,
            408 | 504 => ErrorCode::Timeout,
            429 => ErrorCode::RateLimited,
            500..=599 => ErrorCode::Server,
            400..=499 => ErrorCode::BadRequest,
            // 1xx/2xx other than 200 and 3xx: Cube only answers 200 on success.
            _ => ErrorCode::InvalidResponse,
        }
    }

    /// Codes whose failures a retry may cure (before looking at the status).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorCode::Network | ErrorCode::Timeout | ErrorCode::RateLimited | ErrorCode::Server
        )
    }
}
