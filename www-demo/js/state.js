// What the screens share: the package, the connected client, and the data on screen
// (the "views" the export screen can download).

const listeners = new Map();

export const state = {
  /** The package module (`/pkg/web/index.js`). */
  cube: null,
  /** The CubeClient after a successful connect. */
  client: null,
  whoami: null,
  campaigns: [],
  /** Data owners to pick from: [{ id, name }]. */
  owners: [],
  /**
   * Exportable views by id: { title, fileName, records, columns: [{ key, label }] }.
   * Set by the screens when they show data.
   */
  views: new Map(),
};

export function on(event, fn) {
  if (!listeners.has(event)) listeners.set(event, new Set());
  listeners.get(event).add(fn);
}

export function emit(event, detail) {
  for (const fn of listeners.get(event) ?? []) {
    try {
      fn(detail);
    } catch (e) {
      console.error(`listener of ${event} failed`, e);
    }
  }
}

/** Publish (or with records = null, withdraw) a view for the export screen. */
export function setView(id, view) {
  if (view) state.views.set(id, view);
  else state.views.delete(id);
  emit('views', { id, shown: Boolean(view) });
}

/** The package feature `name` when this build of the package has it. */
export function feature(name) {
  const f = state.cube?.[name];
  return typeof f === 'function' ? f : null;
}
