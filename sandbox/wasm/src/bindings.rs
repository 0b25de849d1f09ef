//! The wasm-bindgen surface: a `SandboxCore` per sandbox, a `Pending` per request in
//! flight, an `Answer` per response.

use cube_sandbox_core::flags::{self, Parsed};
use cube_sandbox_core::{Request, Sandbox, Ticket};
use wasm_bindgen::prelude::*;

use crate::{header_pairs, Plan};

#[wasm_bindgen]
pub struct SandboxCore {
    inner: Sandbox,
}

/// A request that arrived and waits `delayMs` before its answer.
#[wasm_bindgen]
pub struct Pending {
    ticket: Option<Ticket>,
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    origin: String,
}

#[wasm_bindgen]
pub struct Answer {
    /// The core's answer; its body is in `plan`.
    response: cube_sandbox_core::Response,
    plan: Plan,
}

/// `--help` of the sandbox command.
#[wasm_bindgen(js_name = sandboxHelp)]
pub fn sandbox_help(program: &str) -> String {
    flags::help(program)
}

/// The flag table as JSON `[{name, value, default, help}]` (the README's table is checked
/// against it).
#[wasm_bindgen(js_name = sandboxFlags)]
pub fn sandbox_flags() -> String {
    let list: Vec<_> = flags::FLAGS
        .iter()
        .map(|f| {
            serde_json::json!({"name": f.name, "value": f.value, "default": f.default, "help": f.help})
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// A flag error as a JS `Error` carrying `flag`.
fn flag_error(e: flags::FlagError) -> JsValue {
    let error = js_sys::Error::new(&e.message);
    if let Some(flag) = &e.flag {
        let _ = js_sys::Reflect::set(&error, &"flag".into(), &flag.as_str().into());
    }
    error.into()
}

#[wasm_bindgen]
impl SandboxCore {
    /// `args`: the command line's flags (`--help` and `--version` are the caller's to
    /// handle); a bad flag throws an `Error` with its message and, when it names one, the
    /// flag (`flag: 'page-size'`).
    #[wasm_bindgen(constructor)]
    pub fn new(args: Vec<String>, now_ms: f64) -> Result<SandboxCore, JsValue> {
        match flags::parse(&args).map_err(flag_error)? {
            Parsed::Run(config) => Ok(SandboxCore {
                inner: Sandbox::new(*config, now_ms as u64),
            }),
            Parsed::Help | Parsed::Version => {
                Err(JsError::new("--help and --version are not settings of a sandbox").into())
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn arrive(
        &self,
        method: String,
        path: String,
        query: String,
        headers: Vec<String>,
        body: Vec<u8>,
        origin: String,
        now_ms: f64,
    ) -> Pending {
        let mut pending = Pending {
            ticket: None,
            method,
            path,
            query,
            headers: header_pairs(&headers),
            body,
            origin,
        };
        let ticket = self.inner.arrive(&pending.request(), now_ms as u64);
        pending.ticket = Some(ticket);
        pending
    }

    pub fn answer(&self, pending: &mut Pending, now_ms: f64) -> Result<Answer, JsError> {
        let ticket = pending
            .ticket
            .take()
            .ok_or_else(|| JsError::new("this request was answered or aborted already"))?;
        let response = self.inner.answer(&pending.request(), ticket, now_ms as u64);
        Ok(answer_of(response))
    }

    /// The answer to a request whose body is over `maxRequestBody()` (the body is not read).
    #[wasm_bindgen(js_name = tooLarge)]
    pub fn too_large(
        &self,
        method: String,
        path: String,
        query: String,
        headers: Vec<String>,
        origin: String,
    ) -> Answer {
        let headers = header_pairs(&headers);
        let req = Request {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
            body: &[],
            origin: &origin,
        };
        answer_of(self.inner.too_large(&req))
    }

    pub fn abort(&self, pending: &mut Pending, now_ms: f64) {
        if let Some(ticket) = pending.ticket.take() {
            self.inner.abort(ticket, now_ms as u64);
        }
    }

    /// What both edges print once listening (first line `listening on BASE`).
    pub fn banner(&self, base: &str) -> String {
        flags::banner(&self.inner.config, base)
    }

    #[wasm_bindgen(getter, js_name = staticDir)]
    pub fn static_dir(&self) -> Option<String> {
        self.inner
            .config
            .static_dir
            .as_ref()
            .map(|d| d.display().to_string())
    }

    #[wasm_bindgen(getter, js_name = pkgDir)]
    pub fn pkg_dir(&self) -> Option<String> {
        self.inner
            .config
            .pkg_dir
            .as_ref()
            .map(|d| d.display().to_string())
    }

    #[wasm_bindgen(getter)]
    pub fn host(&self) -> String {
        self.inner.config.host.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn port(&self) -> u16 {
        self.inner.config.port
    }
}

fn answer_of(mut response: cube_sandbox_core::Response) -> Answer {
    let plan = Plan::of(&mut response);
    Answer { response, plan }
}

impl Pending {
    fn request(&self) -> Request<'_> {
        Request {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
            origin: &self.origin,
        }
    }
}

#[wasm_bindgen]
impl Pending {
    /// Latency to wait before asking for the answer.
    #[wasm_bindgen(getter, js_name = delayMs)]
    pub fn delay_ms(&self) -> f64 {
        self.ticket.as_ref().map_or(0.0, |t| t.delay_ms as f64)
    }
}

#[wasm_bindgen]
impl Answer {
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> u16 {
        self.response.status
    }
    /// `[name, value, …]`, names in lower case.
    #[wasm_bindgen(getter)]
    pub fn headers(&self) -> Vec<String> {
        self.response
            .headers
            .iter()
            .flat_map(|(n, v)| [n.to_string(), v.clone()])
            .collect()
    }
    /// The injected fault's kind, if any.
    #[wasm_bindgen(getter)]
    pub fn fault(&self) -> Option<String> {
        self.response.fault.map(str::to_string)
    }
    /// The file a `file` answer reads below `dir` (the served directory): `{ read, name }`,
    /// its real path to read and its name as asked (for `serveFile`), or `undefined` (a 404)
    /// when it is missing or its real path is not inside `dir`'s. `realPath(path)` resolves
    /// every symlink (`fs.realpathSync`, throwing when it cannot); `isDir(real)` says whether
    /// a real path is a directory.
    #[wasm_bindgen(js_name = locateFile)]
    pub fn locate_file(
        &self,
        dir: &str,
        real_path: &js_sys::Function,
        is_dir: &js_sys::Function,
    ) -> JsValue {
        let disk = JsDisk { real_path, is_dir };
        let Some(found) = cube_sandbox_core::files::locate(dir, &self.plan.file_path, &disk) else {
            return JsValue::UNDEFINED;
        };
        let out = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&out, &"read".into(), &found.read.into());
        let _ = js_sys::Reflect::set(&out, &"name".into(), &found.name.into());
        out.into()
    }
    /// Completes a `file` answer once the edge tried to read the file: its bytes and its name
    /// (`locateFile`'s), or no bytes when it was not found or could not be read (a 404). The
    /// answer is then `bytes`, with the status and headers to send.
    #[wasm_bindgen(js_name = serveFile)]
    pub fn serve_file(&mut self, bytes: Option<Vec<u8>>, path: &str) {
        cube_sandbox_core::files::serve(&mut self.response, bytes.map(|b| (b, path)));
        self.plan = Plan::of(&mut self.response);
    }
    /// `bytes`, `file`, `reset`, `dribble` or `endless`.
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.plan.kind.to_string()
    }
    /// The body (`bytes`), the whole answer to cut (`reset`) or dribble, or the endless
    /// body's first bytes. Moves the bytes out: read once.
    #[wasm_bindgen(js_name = takeBody)]
    pub fn take_body(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.plan.bytes)
    }
    #[wasm_bindgen(getter, js_name = fileRoot)]
    pub fn file_root(&self) -> String {
        self.plan.file_root.to_string()
    }
    #[wasm_bindgen(getter, js_name = filePath)]
    pub fn file_path(&self) -> String {
        self.plan.file_path.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn keep(&self) -> f64 {
        self.plan.keep as f64
    }
    #[wasm_bindgen(getter)]
    pub fn chunk(&self) -> f64 {
        self.plan.chunk as f64
    }
    #[wasm_bindgen(getter, js_name = delayMs)]
    pub fn delay_ms(&self) -> f64 {
        self.plan.delay_ms as f64
    }
    #[wasm_bindgen(getter, js_name = maxSeconds)]
    pub fn max_seconds(&self) -> f64 {
        self.plan.max_seconds as f64
    }
}

/// The JS edge's file system for [`cube_sandbox_core::files::locate`]: its two functions; one
/// that throws counts as a missing path.
struct JsDisk<'a> {
    real_path: &'a js_sys::Function,
    is_dir: &'a js_sys::Function,
}

impl cube_sandbox_core::files::Disk for JsDisk<'_> {
    fn real_path(&self, path: &str) -> Option<String> {
        let real = self.real_path.call1(&JsValue::NULL, &path.into()).ok()?;
        real.as_string()
    }

    fn is_dir(&self, real: &str) -> bool {
        let answer = self.is_dir.call1(&JsValue::NULL, &real.into());
        answer.is_ok_and(|v| v.is_truthy())
    }
}

/// Request bodies larger than this are refused (413) by every edge.
#[wasm_bindgen(js_name = maxRequestBody)]
pub fn max_request_body() -> f64 {
    cube_sandbox_core::MAX_REQUEST_BODY as f64
}
