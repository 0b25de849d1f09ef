// The Markdown the tarball ships (README.md, CHANGELOG.md, docs/**) is read in node_modules,
// in an editor or on a CDN's file view, where only the tarball's own files exist: every
// relative link and image must name one of them, and every #anchor a heading or an id of its
// page. A link to anything else is absolute (https://…).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pack, sh, tempDir, cleanup, ROOT } from './tarball.mjs';

let packed;
let unpacked; // the tarball's files, extracted: unpacked/package/…
let markdown; // { file (tarball path): text }
before(async () => {
  packed = await pack();
  const dir = tempDir('links');
  await sh('tar', ['-xzf', packed.tarball, '-C', dir]);
  unpacked = path.join(dir, 'package');
  markdown = Object.fromEntries(
    packed.files.filter((f) => f.endsWith('.md')).map((f) => [f, readFileSync(path.join(unpacked, f), 'utf8')]),
  );
}, { timeout: 60_000 });
after(() => cleanup());

/**
 * The text that Markdown renders as prose: fenced code blocks, inline code and HTML comments
 * blanked out (same length, same lines, so offsets still give line numbers), where a
 * `[x](y)` is code, not a link.
 */
function prose(md, { keepCode = false } = {}) {
  const blank = (s) => s.replace(/[^\n]/g, ' ');
  let out = md.replace(/<!--[\s\S]*?-->/g, blank);
  // Fenced blocks: ``` or ~~~, up to the same fence (or the end of the file).
  out = out.replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\2[`~]*[ \t]*$|(?![\s\S]))/gm, blank);
  if (!keepCode) out = out.replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, (m) => m.replace(/[^\n]/g, 'x'));
  return out;
}

const lineOf = (text, index) => text.slice(0, index).split('\n').length;

/** Every link target of a Markdown text: { target, line, kind }. */
function links(md) {
  const text = prose(md);
  const found = [];
  const add = (target, index, kind) => found.push({ target: target.trim(), line: lineOf(text, index), kind });
  // [text](target "title") and ![alt](target): the target may be <wrapped>.
  const inline = /!?\[(?:[^\[\]\n]|\[[^\]\n]*\])*\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/g;
  for (const m of text.matchAll(inline)) add(m[1].replace(/^<|>$/g, ''), m.index, m[0].startsWith('!') ? 'image' : 'link');
  // [label]: target (reference definitions).
  for (const m of text.matchAll(/^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm)) add(m[1].replace(/^<|>$/g, ''), m.index, 'definition');
  // HTML: <a href>, <img src>.
  for (const m of text.matchAll(/<a\s[^>]*?\bhref\s*=\s*(["'])(.*?)\1/gis)) add(m[2], m.index, '<a href>');
  for (const m of text.matchAll(/<img\s[^>]*?\bsrc\s*=\s*(["'])(.*?)\1/gis)) add(m[2], m.index, '<img src>');
  return found.filter((l) => l.target !== '');
}

const isAbsolute = (t) => /^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('//');

/** A relative target's file in the tarball, from the Markdown file `from`: { file, anchor }. */
function resolve(from, target) {
  const [pathPart, anchor] = target.split('#', 2);
  const bare = decodeURIComponent(pathPart.split('?')[0]);
  if (bare === '') return { file: from, anchor };
  if (bare.startsWith('/')) return { file: null, anchor, why: 'root-relative: nothing in a tarball is at /' };
  const file = path.posix.normalize(path.posix.join(path.posix.dirname(from), bare));
  if (file.startsWith('../')) return { file: null, anchor, why: 'outside the package' };
  return { file: file.replace(/\/$/, ''), anchor };
}

/** A file of the tarball, or a folder of it that holds files. */
const inTarball = (file) => packed.files.includes(file) || packed.files.some((f) => f.startsWith(`${file}/`));

test('the tarball ships the Markdown this test reads', () => {
  for (const f of ['README.md', 'CHANGELOG.md', 'docs/api/README.md']) assert.ok(f in markdown, `${f} is in the tarball`);
});

test('every relative link and image in the shipped Markdown resolves to a file in the tarball', () => {
  const broken = [];
  let checked = 0;
  for (const [file, md] of Object.entries(markdown)) {
    for (const { target, line, kind } of links(md)) {
      if (isAbsolute(target) || target.startsWith('#')) continue;
      checked += 1;
      const { file: to, why } = resolve(file, target);
      if (to === null) broken.push(`${file}:${line}: ${kind} ${target} (${why})`);
      else if (!inTarball(to)) broken.push(`${file}:${line}: ${kind} ${target} (${to} is not in the tarball)`);
    }
  }
  assert.ok(checked > 0, 'found relative links (the API reference has many)');
  assert.deepEqual(broken, [], `relative links to files the tarball lacks (link them absolutely, https://…, or ship the file):\n${broken.join('\n')}`);
});

/** GitHub's anchor of a heading: its text, lower case, punctuation and symbols dropped, spaces as hyphens. */
function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // HTML tags
    .replace(/\\(.)/g, '$1'); // escapes
  return text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The anchors a page has: its headings' slugs (repeats get -1, -2, …) and HTML ids and names. */
function anchors(md) {
  const text = prose(md, { keepCode: true });
  const seen = new Map();
  const out = new Set();
  for (const m of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of md.matchAll(/<[a-z]+\s[^>]*?\b(?:id|name)\s*=\s*(["'])(.*?)\1/gi)) out.add(m[2]);
  return out;
}

test('every #anchor, on the same page or after a file name, names a heading or an id there', () => {
  const broken = [];
  let checked = 0;
  for (const [file, md] of Object.entries(markdown)) {
    for (const { target, line } of links(md)) {
      if (isAbsolute(target) || !target.includes('#')) continue;
      const { file: to, anchor } = resolve(file, target);
      if (to === null || !anchor || !(to in markdown)) continue; // a missing file fails above
      checked += 1;
      if (!anchors(markdown[to]).has(decodeURIComponent(anchor))) broken.push(`${file}:${line}: ${target} (no heading or id "${anchor}" in ${to})`);
    }
  }
  assert.ok(checked > 0, 'found anchors (the API reference links its own sections)');
  assert.deepEqual(broken, [], `anchors that name nothing:\n${broken.join('\n')}`);
});

/**
 * The repository's own files named in the README's or docs/' prose or `code` — `BENCHMARKS.md`,
 * `examples/nightly-sync-project` — which a reader of the package cannot open: a file name
 * ending in .md, or a path of two or more parts under a top-level folder of the repository.
 * What the tarball has (`CHANGELOG.md`, `sandbox/…`) is fine, and so is the text of a link
 * (its target is checked above).
 */
test('the shipped Markdown names no repository file that the tarball lacks (link it absolutely)', () => {
  const topLevel = new Set(
    readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => e.name),
  );
  const missing = [];
  // The README and docs/ (CHANGELOG.md names the repository's files as history).
  const read = Object.entries(markdown).filter(([file]) => file === 'README.md' || file.startsWith('docs/'));
  assert.ok(read.length >= 3);
  for (const [file, md] of read) {
    // Links (their text and target) out; inline code kept, fenced blocks (code) out.
    const text = prose(md, { keepCode: true }).replace(/!?\[((?:[^\[\]\n]|\[[^\]\n]*\])*)\]\([^)\n]*\)/g, (m) => m.replace(/[^\n]/g, ' '));
    for (const m of text.matchAll(/(?<![\w./-])([\w.-]+(?:\/[\w.-]+)*\/?)(?![\w/-])/g)) {
      const name = m[1].replace(/\.$/, '');
      const parts = name.replace(/\/$/, '').split('/');
      const isMd = /\.md$/i.test(name);
      const isRepoPath = parts.length >= 2 && topLevel.has(parts[0]);
      if (!isMd && !isRepoPath) continue;
      const { file: to } = resolve(file, name);
      if ((to !== null && inTarball(to)) || inTarball(name.replace(/\/$/, ''))) continue;
      missing.push(`${file}:${lineOf(text, m.index)}: ${name}`);
    }
  }
  assert.deepEqual(missing, [], `names of files that are in the repository, not in the tarball (link them with https://github.com/…, or ship them):\n${missing.join('\n')}`);
});

test('the README links the API reference in the tarball (docs/api/README.md)', () => {
  const targets = links(markdown['README.md']).map(({ target }) => resolve('README.md', target).file);
  assert.ok(
    targets.includes('docs/api/README.md') || targets.includes('docs/api'),
    'README.md links docs/api/README.md (the Markdown API reference typedoc renders from the shipped types)',
  );
});
