// The snapshots that the streaming sync returns, kept between visits: one per
// (base URL, data owner, CRM type), in IndexedDB (the plain API, no library).
//
// An entry: { baseUrl, dataOwnerId, crmType, bytes: ArrayBuffer, size, records, pages,
// takenAt: Date, durationMs }. When IndexedDB fails (a browser that refuses storage, a full
// quota), the entry is kept in this page's memory instead and says so (`where: 'memory'`).

const DB_NAME = 'cube-integration-demo';
const DB_VERSION = 1;
const STORE = 'snapshots';
const KEY_PATH = ['baseUrl', 'dataOwnerId', 'crmType'];

/** Entries whose IndexedDB write failed, by key: this page only. */
const memory = new Map();

const keyOf = (baseUrl, crm) => [baseUrl, crm.dataOwnerId, crm.crmType];
const memoryKey = (key) => JSON.stringify(key);

let opening = null;

function openDb() {
  opening ??= new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined' || !indexedDB) {
      reject(new Error('this browser offers no IndexedDB'));
      return;
    }
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: KEY_PATH });
    };
    req.onsuccess = () => {
      const db = req.result;
      // A newer version of the page in another tab wants to upgrade: let it.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
  });
  opening.catch(() => {
    opening = null; // try again next time
  });
  return opening;
}

/** Run one request in a transaction; resolves with its result once the transaction is done. */
async function inStore(mode, makeRequest) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = makeRequest(tx.objectStore(STORE));
    let result;
    req.onsuccess = () => {
      result = req.result;
    };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB request failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** The bytes as an ArrayBuffer of their own (a view's whole buffer would be stored otherwise). */
export function ownBuffer(bytes) {
  if (bytes instanceof ArrayBuffer) return bytes;
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer
    ? view.buffer
    : view.slice().buffer;
}

/** The stored snapshot of a CRM on a server, with `where`, or null. */
export async function loadSnapshot(baseUrl, crm) {
  const key = keyOf(baseUrl, crm);
  const kept = memory.get(memoryKey(key));
  if (kept) return kept;
  try {
    const entry = await inStore('readonly', (store) => store.get(key));
    return entry ? { ...entry, where: 'indexeddb' } : null;
  } catch (err) {
    console.warn('IndexedDB: could not read the stored snapshot', err);
    return null;
  }
}

/**
 * Store (replace) a CRM's snapshot. Resolves to { where: 'indexeddb' } or, when IndexedDB
 * failed, { where: 'memory', error }.
 */
export async function saveSnapshot(entry) {
  const record = {
    baseUrl: entry.baseUrl,
    dataOwnerId: entry.dataOwnerId,
    crmType: entry.crmType,
    bytes: ownBuffer(entry.bytes),
    size: entry.size,
    records: entry.records,
    pages: entry.pages,
    takenAt: entry.takenAt,
    durationMs: entry.durationMs,
  };
  const key = keyOf(record.baseUrl, record);
  try {
    await inStore('readwrite', (store) => store.put(record));
    memory.delete(memoryKey(key));
    return { where: 'indexeddb' };
  } catch (error) {
    memory.set(memoryKey(key), { ...record, where: 'memory', error });
    return { where: 'memory', error };
  }
}

/** Forget a CRM's stored snapshot (both places). */
export async function forgetSnapshot(baseUrl, crm) {
  const key = keyOf(baseUrl, crm);
  const inMemory = memory.delete(memoryKey(key));
  try {
    await inStore('readwrite', (store) => store.delete(key));
  } catch (err) {
    if (!inMemory) throw err; // it was only ever in memory: forgotten
  }
}
