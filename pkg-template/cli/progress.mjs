// Progress on stderr while a list is read: a bar redrawn in place on a terminal (records of
// total, pages/s, ETA); plain lines elsewhere (a log file, cron mail), at most one every few
// seconds plus the last; nothing with --quiet.

const LINE_EVERY_MS = 5000;
const REDRAW_EVERY_MS = 100;
const BAR = 24;

const number = (n) => n.toLocaleString('en-US');

function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * A progress reporter for reading `what` (e.g. "customers"): `update({ loaded, total, page })`
 * per page, `done(summary)` at the end, `clear()` before an error line.
 */
export function createProgress(what, { quiet = false, stream = process.stderr, now = () => performance.now() } = {}) {
  if (quiet) return { update() {}, done() {}, clear() {} };
  const tty = Boolean(stream.isTTY);
  const start = now();
  let last = null;
  let lastDraw = -Infinity;
  let drawn = false;

  const stats = ({ loaded, total, page }) => {
    const seconds = Math.max((now() - start) / 1000, 1e-3);
    const rate = page / seconds;
    const perRecord = loaded > 0 ? seconds / loaded : NaN;
    const eta = total != null && loaded > 0 ? (total - loaded) * perRecord : NaN;
    return { rate, eta, seconds };
  };

  const bar = (p) => {
    const { rate, eta } = stats(p);
    const of = p.total != null ? `${number(p.loaded)}/${number(p.total)}` : number(p.loaded);
    const fraction = p.total ? Math.min(p.loaded / p.total, 1) : 0;
    const filled = Math.round(fraction * BAR);
    const graph = p.total ? `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ` : '';
    return `${what} ${graph}${of} records  ${rate.toFixed(1)} pages/s  ETA ${duration(eta)}`;
  };

  const draw = (text) => {
    const columns = stream.columns || 100;
    stream.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
    drawn = true;
  };

  return {
    update(p) {
      last = p;
      const t = now();
      if (tty) {
        if (t - lastDraw >= REDRAW_EVERY_MS) {
          lastDraw = t;
          draw(bar(p));
        }
      } else if (lastDraw === -Infinity || t - lastDraw >= LINE_EVERY_MS) {
        lastDraw = t;
        const { rate } = stats(p);
        const of = p.total != null ? `${p.loaded}/${p.total}` : `${p.loaded}`;
        stream.write(`${what}: ${of} records, page ${p.page}, ${rate.toFixed(1)} pages/s\n`);
      }
    },
    done(summary) {
      if (tty && last) draw(bar(last));
      if (tty && drawn) stream.write('\n');
      const seconds = (now() - start) / 1000;
      stream.write(`${summary} (${seconds.toFixed(1)} s)\n`);
    },
    clear() {
      if (tty && drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
