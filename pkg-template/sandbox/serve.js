// The sandbox on a port, behind Node's `http` module: `npx cube-integration sandbox`. The same
// core answers as in-process and in the native `cube-sandbox`; this edge reads the socket,
// keeps the time, serves files, and plays out the transport faults on the real connection.
import { createServer } from 'node:http';
import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

// The body, or `null` when it is over `max` (the core's limit): a declared length over it is
// refused before any byte of the body is read (so the 413 is not lost to a reset), a chunked
// body once it passes it (the rest is not kept).
function readBody(req, max) {
  return new Promise((done, fail) => {
    if (Number(req.headers['content-length']) > max) {
      done(null);
      return;
    }
    const parts = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        done(null);
      } else parts.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => done(new Uint8Array(Buffer.concat(parts))));
    req.on('error', fail);
  });
}

// Resolves after `ms`, or at once (with `false`) if the client went away.
function wait(ms, res) {
  return new Promise((done) => {
    if (res.destroyed) return done(false);
    const onClose = () => {
      clearTimeout(timer);
      done(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      done(true);
    }, ms);
    res.once('close', onClose);
  });
}

function headerObject(flat) {
  const out = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

// The served directory's file system, as the core's `locateFile` asks for it: real paths
// (every symlink resolved; a throw is a missing path) and whether one is a directory.
const realPath = (path) => realpathSync(path);
const isDir = (real) => statSync(real).isDirectory();

// A `file` answer made `bytes`: the file the core located (a directory's index.html, only
// inside the directory once symlinks are resolved) and read, or a 404.
async function serveFile(answer, dirs) {
  const found = answer.locateFile(answer.fileRoot === 'pkg' ? dirs.pkg : dirs.static, realPath, isDir);
  let bytes;
  if (found) {
    try {
      bytes = await readFile(found.read);
    } catch {
      // unreadable (a directory's index.html that is a directory, a permission): a 404
    }
  }
  answer.serveFile(bytes, found?.name ?? '');
}

async function send(answer, res, dirs) {
  if (answer.kind === 'file') await serveFile(answer, dirs);
  const status = answer.status;
  const headers = headerObject(answer.headers);
  const kind = answer.kind;
  const bytes = answer.takeBody();
  if (kind === 'bytes') {
    // A 204 (a preflight) or 304 has no body, and no Content-Length (RFC 9110 §8.6).
    const bodyless = status === 204 || status === 304;
    res.writeHead(status, bodyless ? headers : { ...headers, 'content-length': bytes.length });
    res.end(bodyless ? undefined : bytes);
  } else if (kind === 'reset') {
    res.writeHead(status, { ...headers, 'content-length': bytes.length });
    res.write(bytes.subarray(0, answer.keep));
    // let the first part reach the client before the drop
    await wait(50, res);
    res.socket?.destroy();
  } else if (kind === 'dribble') {
    const { chunk, delayMs } = answer;
    res.writeHead(status, { ...headers, 'content-length': bytes.length });
    for (let at = 0; at < bytes.length; at += chunk) {
      if (at > 0 && !(await wait(delayMs, res))) return;
      res.write(bytes.subarray(at, at + chunk));
    }
    res.end();
  } else if (kind === 'endless') {
    const { chunk, delayMs, maxSeconds } = answer;
    const spaces = Buffer.alloc(chunk, 0x20);
    res.writeHead(status, headers);
    res.write(bytes);
    const end = Date.now() + maxSeconds * 1000;
    while (Date.now() < end) {
      if (!(await wait(delayMs, res))) return;
      res.write(spaces);
    }
    res.end();
  }
}

async function handle(wasm, core, req, res, dirs) {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);
  const headers = [];
  // Names as sent: the wasm side (header_pairs) lower-cases them.
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  const body = req.method === 'GET' || req.method === 'HEAD'
    ? new Uint8Array(0)
    : await readBody(req, wasm.maxRequestBody());
  let answer;
  if (body === null) {
    answer = core.tooLarge(req.method, path, query, headers, origin);
  } else {
    const pending = core.arrive(req.method, path, query, headers, body, origin, Date.now());
    if (pending.delayMs > 0 && !(await wait(pending.delayMs, res))) {
      core.abort(pending, Date.now());
      pending.free();
      return;
    }
    answer = core.answer(pending, Date.now());
    pending.free();
  }
  try {
    await send(answer, res, dirs);
  } finally {
    answer.free();
  }
}

/**
 * Starts the sandbox on a port. `args`: the flags (the same table as `cube-sandbox`'s);
 * `defaults.staticDir` / `defaults.pkgDir`: served when the flags name none.
 * Resolves once listening to `{ server, url, banner }`.
 */
export async function listen(wasm, args, defaults = {}) {
  const given = (flag) => args.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
  const all = [...args];
  if (!given('static-dir') && defaults.staticDir !== undefined) all.push('--static-dir', defaults.staticDir);
  if (!given('pkg-dir') && defaults.pkgDir !== undefined) all.push('--pkg-dir', defaults.pkgDir);
  const served = new wasm.SandboxCore(all, Date.now());
  const dirs = { static: resolve(served.staticDir ?? '.'), pkg: resolve(served.pkgDir ?? '.') };
  // A request without Host is answered as the native edge does (links on http://localhost),
  // not refused with Node's 400.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    handle(wasm, served, req, res, dirs).catch((e) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`sandbox: ${e.message}\n`);
      } else res.destroy();
    });
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(served.port, served.host, () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address();
  const host = served.host.includes(':') ? `[${served.host}]` : served.host;
  const url = `http://${host}:${port}`;
  return { server, url, banner: served.banner(url), core: served };
}
