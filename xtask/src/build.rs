//! Building the npm package into `pkg/`: two wasm modules (the client, crate
//! `cube-integration`, and the records module loaded on first use, crate `cube-records-wasm`),
//! each through wasm-bindgen for three targets (web, bundler, nodejs) and shrunk once by
//! wasm-opt (the targets share the bytes; Node reads web's file), the sandbox's wasm, plus
//! the JS layer and the metadata from `pkg-template/`.

use crate::process::{cargo, root, run, step, Result};
use crate::tools::wasm_opt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_OPT_FLAGS: [&str; 8] = [
    "--strip-debug",
    "--strip-producers",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

const TARGETS: [(&str, &str); 3] = [("web", "web"), ("bundler", "bundler"), ("nodejs", "node")];

fn copy(from: &Path, to: &Path) -> Result {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
    }
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copy {} → {}: {e}", from.display(), to.display()))
}

/// Point the nodejs glue at the web build's copy of the wasm (one file fewer in the tarball).
fn share_web_wasm(glue: &Path, name: &str) -> Result {
    let text = fs::read_to_string(glue).map_err(|e| format!("read {}: {e}", glue.display()))?;
    let own = format!("`${{__dirname}}/{name}_bg.wasm`");
    if !text.contains(&own) {
        return Err(format!(
            "{}: wasm-bindgen's nodejs glue no longer loads {own}; update share_web_wasm",
            glue.display()
        ));
    }
    let shared = format!("`${{__dirname}}/../web/{name}_bg.wasm`");
    write(glue, &text.replacen(&own, &shared, 1))
}

/// Copies the files of `from` (one level: the CLI's folders have no subfolders) into `to`.
fn copy_dir(from: &Path, to: &Path) -> Result {
    let entries = fs::read_dir(from).map_err(|e| format!("read {}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_file() {
            copy(&path, &target)?;
        } else if path.is_dir() {
            copy_dir(&path, &target)?;
        }
    }
    Ok(())
}

fn make_executable(path: &Path) -> Result {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("chmod {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
}

/// A wasm module of the package, built from its own crate.
struct Module {
    /// The cargo package, and the arguments that pick its features.
    package: &'static str,
    features: &'static [&'static str],
    /// What cargo names the crate's wasm file (`{artifact}.wasm`).
    artifact: &'static str,
    /// Its name in pkg/: `{name}.js` and `{name}_bg.wasm`, which the JS layer loads.
    name: &'static str,
    profile: &'static str,
    /// wasm-opt's level: size for the client, speed for the records module and the sandbox.
    level: &'static str,
}

/// The client, built small; and the records module (round-trip helpers, the streaming sync),
/// loaded on first use and built fast.
const MODULES: [Module; 2] = [
    Module {
        package: "cube-integration",
        features: &["--no-default-features", "--features", "client"],
        artifact: "cube_integration",
        name: "cube_integration",
        profile: "wasm-release",
        level: "-Oz",
    },
    Module {
        package: "cube-records-wasm",
        features: &[],
        artifact: "cube_records_wasm",
        name: "cube_records",
        profile: "wasm-records",
        level: "-O3",
    },
];

pub fn package() -> Result {
    let root = root();
    let pkg = root.join("pkg");
    let _ = fs::remove_dir_all(&pkg);
    let template = root.join("pkg-template");
    for module in &MODULES {
        bind_targets(&pkg, module, &cargo_build(&root, module)?)?;
    }
    sandbox_module(&root, &pkg)?;
    step("assembling pkg/ from pkg-template/");
    js_layer(&template, &pkg)?;
    entries(&template, &pkg)?;
    package_files(&root, &template, &pkg)?;
    api_reference(&root, &template, &pkg)?;
    link_for_examples(&root)?;
    let size = fs::metadata(pkg.join("web/cube_integration_bg.wasm"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("package ready in pkg/ (web wasm: {} KB)", size / 1024);
    Ok(())
}

/// Builds `module`'s crate for wasm32 with cargo: the path of its wasm.
fn cargo_build(root: &Path, module: &Module) -> Result<PathBuf> {
    let Module {
        package,
        name,
        profile,
        ..
    } = module;
    step(&format!(
        "building the {name} wasm module (cargo -p {package}, profile {profile})"
    ));
    run(cargo()
        .args(["build", "--lib", "-p", package])
        .args(["--target", "wasm32-unknown-unknown", "--profile", profile])
        .args(module.features)
        .current_dir(root))?;
    Ok(root.join(format!(
        "target/wasm32-unknown-unknown/{profile}/{}.wasm",
        module.artifact
    )))
}

/// wasm-bindgen writes the same wasm bytes for every target (checked here): they are
/// optimized once (web), copied for the bundler (whose glue imports them from its own
/// folder), and not shipped a third time for Node, whose glue reads web's file.
fn bind_targets(pkg: &Path, module: &Module, wasm: &Path) -> Result {
    let name = module.name;
    let mut plain: Option<Vec<u8>> = None;
    for (target, dir) in TARGETS {
        step(&format!(
            "wasm-bindgen --target {target} → pkg/{dir}/{name}.js"
        ));
        let out = pkg.join(dir);
        bindgen(target, name, &out, wasm)?;
        let bg = out.join(format!("{name}_bg.wasm"));
        let bytes = fs::read(&bg).map_err(|e| format!("read {}: {e}", bg.display()))?;
        let web_bg = pkg.join("web").join(format!("{name}_bg.wasm"));
        match &plain {
            None => {
                step(&format!(
                    "wasm-opt {} pkg/{dir}/{name}_bg.wasm",
                    module.level
                ));
                optimize(module.level, &bg)?;
                plain = Some(bytes);
            }
            Some(first) if *first != bytes => {
                return Err(format!(
                    "wasm-bindgen wrote a different {name}_bg.wasm for {target}: it cannot be shared"
                ));
            }
            Some(_) if dir == "node" => {
                fs::remove_file(&bg).map_err(|e| format!("remove {}: {e}", bg.display()))?;
                share_web_wasm(&out.join(format!("{name}.js")), name)?;
            }
            Some(_) => copy(&web_bg, &bg)?,
        }
    }
    Ok(())
}

/// `js/endpoint-table.js`: the engine's endpoint table and scoped handles (`apiSurface()` of
/// the Node build, just made), from which the JS layer makes `CubeClient`'s methods — as data
/// in the package, because the web build's wasm loads after its classes are defined.
fn endpoint_table(pkg: &Path) -> Result<String> {
    let engine = pkg.join("node/cube_integration.js");
    let script = format!(
        "const s = JSON.parse(require({:?}).apiSurface()); \
         process.stdout.write(JSON.stringify({{ endpoints: s.endpoints, handles: s.handles }}))",
        engine.display().to_string()
    );
    let json = crate::process::output("node", &["-e", &script])
        .ok_or("node could not read the endpoint table from pkg/node/cube_integration.js")?;
    // JSON is a JS expression (ES2019): the table goes in as the object literal it is.
    Ok(format!(
        "// The engine's endpoint table (src/endpoints/table.rs), written by `cargo xtask build`:\n\
         // CubeClient's methods and scoped handles are made from it (client.js).\n\
         const TABLE = {json};\n\
         const ENDPOINTS = Object.freeze(TABLE.endpoints.map((e) => Object.freeze(e)));\n\
         const HANDLES = Object.freeze(TABLE.handles.map((h) => Object.freeze(h)));\n\
         export {{ ENDPOINTS, HANDLES }};\n"
    ))
}

/// The JS layer: ESM for the web, bundler and workerd builds, a CommonJS copy for Node.
fn js_layer(template: &Path, pkg: &Path) -> Result {
    for entry in fs::read_dir(template.join("js")).map_err(|e| format!("read js/: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let (Some(stem), Some("js")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        copy(&path, &pkg.join("js").join(format!("{stem}.js")))?;
        let esm = fs::read_to_string(&path).map_err(|e| e.to_string())?;
        write(
            &pkg.join("node").join(format!("{stem}.cjs")),
            &commonjs(&format!("js/{stem}.js"), &esm)?,
        )?;
    }
    // The nodejs output is CommonJS inside a "type": "module" package. `main` and `types` are
    // for resolvers that ignore `exports` (TypeScript's node10, old bundlers): they take this
    // file as the package of `cube-integration/node` and would find neither.
    write(
        &pkg.join("node/package.json"),
        "{ \"type\": \"commonjs\", \"main\": \"./index.cjs\", \"types\": \"../index.d.cts\" }\n",
    )?;
    // Read from the Node build, which loads as CommonJS once the line above is written.
    let table = endpoint_table(pkg)?;
    write(&pkg.join("js/endpoint-table.js"), &table)?;
    write(
        &pkg.join("node/endpoint-table.cjs"),
        &commonjs("js/endpoint-table.js", &table)?,
    )
}

/// Each build's entry point; workerd's is its own, over the web build's files (imported as
/// wasm modules).
fn entries(template: &Path, pkg: &Path) -> Result {
    for (entry, to) in [
        ("web.js", "web/index.js"),
        ("bundler.js", "bundler/index.js"),
        ("workerd.js", "workerd/index.js"),
        ("node.cjs", "node/index.cjs"),
        ("node.mjs", "node/index.mjs"),
    ] {
        copy(&template.join("entries").join(entry), &pkg.join(to))?;
    }
    Ok(())
}

/// The metadata, the declarations, the command line, the sandbox's JS edges, the demo page,
/// the changelog and licence; wasm-bindgen's .gitignore files removed.
fn package_files(root: &Path, template: &Path, pkg: &Path) -> Result {
    for file in ["package.json", "README.md", "index.d.ts"] {
        copy(&template.join(file), &pkg.join(file))?;
    }
    // The `cube` command line (package.json `bin`): its entry and its modules; the sandbox's
    // JS edges; the demo page that `cube sandbox` serves by default.
    for dir in ["bin", "cli", "sandbox"] {
        copy_dir(&template.join(dir), &pkg.join(dir))?;
    }
    make_executable(&pkg.join("bin/cube.mjs"))?;
    copy_dir(&root.join("www-demo"), &pkg.join("demo"))?;
    let _ = fs::remove_file(pkg.join("demo/README.md"));
    // The same declarations for `require` under TypeScript's node16/nodenext resolution,
    // which reads a .d.ts in a "type": "module" package as ESM.
    copy(&template.join("index.d.ts"), &pkg.join("index.d.cts"))?;
    // And next to the web build, for extensions that copy web/ and js/ into their own tree
    // and import `…/web/index.js` by path.
    copy(&template.join("index.d.ts"), &pkg.join("web/index.d.ts"))?;
    for file in ["CHANGELOG.md", "LICENSE"] {
        if root.join(file).exists() {
            copy(&root.join(file), &pkg.join(file))?;
        }
    }
    for stale in [
        ".gitignore",
        "web/.gitignore",
        "bundler/.gitignore",
        "node/.gitignore",
    ] {
        let _ = fs::remove_file(pkg.join(stale));
    }
    Ok(())
}

/// docs/ of the tarball: the guides of pkg-template/docs/ (if any), and the API reference
/// as Markdown, rendered from the shipped index.d.ts files (tens of KB gzip, readable in
/// an editor, on GitHub or a CDN's file view; the HTML rendering is many times larger).
fn api_reference(root: &Path, template: &Path, pkg: &Path) -> Result {
    let docs = template.join("docs");
    if docs.is_dir() {
        copy_dir(&docs, &pkg.join("docs"))?;
    }
    if pkg.join("docs/api").exists() {
        return Err("pkg-template/docs/api/ would be overwritten by the API reference".into());
    }
    step("API reference: typedoc over pkg/index.d.ts → pkg/docs/api/ as Markdown (typedoc-markdown.json)");
    typedoc(root, "typedoc-markdown.json")?;
    // The same as HTML for browsing the repository's build; not shipped.
    step("API reference: typedoc → target/api-html/ as HTML (typedoc.json)");
    typedoc(root, "typedoc.json")
}

/// typedoc with the options file `config` (in the repository's root).
fn typedoc(root: &Path, config: &str) -> Result {
    run(Command::new(root.join("node_modules/.bin/typedoc"))
        .args(["--options", config, "--logLevel", "Warn"])
        .current_dir(root))
}

/// wasm-bindgen's glue for `target`, as `out/name.js` and `out/name_bg.wasm`.
///
/// The records module's web and nodejs glue export `__wbg_reset_state()`, a fresh instance of
/// the same compiled module: the JS layer throws away an instance that trapped (it ran out of
/// memory) and goes on with a new one (pkg-template/js/records-module.js). wasm-bindgen
/// offers it for no other target: in the bundler build, whose wasm the bundler instantiates,
/// an instance that trapped is kept. The wasm bytes are the same either way.
fn bindgen(target: &str, name: &str, out: &Path, wasm: &Path) -> Result {
    let mut command = Command::new("wasm-bindgen");
    command
        .args(["--target", target, "--out-name", name, "--no-typescript"])
        .args(["--weak-refs", "--out-dir"])
        .arg(out)
        .arg(wasm);
    if name == "cube_records" && target != "bundler" {
        command.arg("--experimental-reset-state-function");
    }
    run(&mut command)
}

/// wasm-opt at `level` (`-Oz` for size, `-O3` for speed), in place.
fn optimize(level: &str, wasm: &Path) -> Result {
    run(Command::new(wasm_opt())
        .arg(level)
        .args(WASM_OPT_FLAGS)
        .arg("-o")
        .arg(wasm)
        .arg(wasm))
}

/// The sandbox's core as its own wasm module (`cube-integration/sandbox`), built for speed
/// and bound for the web target only: every JS edge (browser, worker, Node) instantiates it
/// from the bytes of `pkg/sandbox/cube_sandbox_bg.wasm`.
fn sandbox_module(root: &Path, pkg: &Path) -> Result {
    const SANDBOX: Module = Module {
        package: "cube-sandbox-wasm",
        features: &[],
        artifact: "cube_sandbox_wasm",
        name: "cube_sandbox",
        profile: "wasm-records",
        level: "-O3",
    };
    let wasm = cargo_build(root, &SANDBOX)?;
    let out = pkg.join("sandbox");
    step("wasm-bindgen --target web → pkg/sandbox/cube_sandbox.js");
    bindgen("web", SANDBOX.name, &out, &wasm)?;
    let bg = out.join("cube_sandbox_bg.wasm");
    step("wasm-opt -O3 pkg/sandbox/cube_sandbox_bg.wasm");
    optimize(SANDBOX.level, &bg)?;
    let _ = fs::remove_file(out.join(".gitignore"));
    Ok(())
}

/// The CommonJS copy of the JS layer: the file keeps no imports and one export list at the
/// end (see its header), which becomes `module.exports`.
/// The CommonJS copy of one module of `pkg-template/js/`: each `import { a, b } from
/// './x.js';` becomes a `require('./x.cjs')`, the one `export { … };` line `module.exports`.
fn commonjs(name: &str, esm: &str) -> Result<String> {
    let mut out = String::from("'use strict';\n");
    let mut exports = 0;
    for line in esm.lines() {
        if let Some(rest) = line.strip_prefix("import ") {
            let (names, from) = rest.split_once(" from ").ok_or_else(|| {
                format!("{name}: `{line}` is not `import {{ … }} from './x.js';`")
            })?;
            let module = from
                .trim_end_matches(';')
                .trim_matches(|c| c == '\'' || c == '"')
                .strip_suffix(".js")
                .filter(|m| m.starts_with("./") && names.trim().starts_with('{'))
                .ok_or_else(|| format!("{name}: `{line}` must import names from a ./module.js"))?;
            out.push_str(&format!(
                "const {} = require('{module}.cjs');\n",
                names.trim()
            ));
        } else if let Some(names) = line.strip_prefix("export ") {
            let names = names.trim().trim_end_matches(';');
            if !names.starts_with('{') {
                return Err(format!("{name}: the export line must be `export {{ … }};`"));
            }
            exports += 1;
            out.push_str(&format!("module.exports = {names};\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if exports != 1 {
        return Err(format!(
            "{name} must have exactly one `export {{ … }};` line"
        ));
    }
    Ok(out)
}

/// `examples/` import the package by name, as users do: link it to the build.
fn link_for_examples(root: &Path) -> Result {
    let dir = root.join("examples/node_modules");
    fs::create_dir_all(&dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
    let link = dir.join("cube-integration");
    if fs::symlink_metadata(&link).is_err() {
        std::os::unix::fs::symlink("../../pkg", &link)
            .map_err(|e| format!("link {}: {e}", link.display()))?;
    }
    Ok(())
}
