// The code blocks of a README, for tests that type-check or run every one of them, so the
// docs cannot drift from the package.
import { readFileSync } from 'node:fs';

/**
 * Every fenced block: `{ lang, code, line, run }`. A block preceded by the comment
 * `<!-- test: run -->` is to be run against the sandbox, not only type-checked.
 */
export function codeBlocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let prev = start - 1;
    while (prev >= 0 && lines[prev].trim() === '') prev--;
    blocks.push({
      lang: open[1] || 'text',
      code: body.join('\n') + '\n',
      line: start + 1,
      run: prev >= 0 && lines[prev].trim() === '<!-- test: run -->',
    });
  }
  return blocks;
}

/** Top-level names a block declares itself (so a prelude must not declare them again). */
export function declaredNames(code) {
  const names = new Set();
  for (const m of code.matchAll(/\b(?:const|let|var|function|class)\s+(\w+)/g)) names.add(m[1]);
  for (const m of code.matchAll(/\b(?:const|let|var)\s+\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part.split(':').pop().trim();
      if (name) names.add(name);
    }
  }
  for (const m of code.matchAll(/^\s*import\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of m[1].split(',')) {
      const name = part.replace(/^\s*type\s+/, '').split(/\s+as\s+/).pop().trim();
      if (name) names.add(name);
    }
  }
  return names;
}
