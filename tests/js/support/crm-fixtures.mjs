// CRM exports for the loop tests: per preset, a few thousand contacts as that CRM's own
// export has them — its ids (Salesforce 18-character record ids, Dataverse GUIDs, HubSpot's
// numeric Record IDs), the preset's column names plus columns the mapping does not name, and
// the CSV conventions the preset states (delimiter, byte-order mark). Nordic names (æ ø å,
// two-word first and last names), postal codes with leading zeros, phone numbers written the
// ways people type them. Deterministic: the same seed gives the same bytes.

/** A small deterministic generator (SplitMix32-style), as the sandbox's own is keyed. */
export function rng(seed) {
  let s = (seed >>> 0) || 1;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    below: (n) => next() % n,
    pick(items) { return items[next() % items.length]; },
    chance: (percent) => next() % 100 < percent,
  };
}

export const FIRST_NAMES = [
  'Anne Marie', 'Kari Anne', 'Jan Erik', 'Per Olav', 'Åse', 'Øystein', 'Bjørn', 'Kjærsti',
  'Ørjan', 'Ådne', 'Sølvi', 'Kari', 'Ola', 'Nils', 'Ingrid', 'Siri', 'Håkon', 'Tor Åge',
];
export const LAST_NAMES = [
  'Ås Øvre', 'Bakke Hansen', 'Lie Ødegård', 'Dahl Berg', 'Ødegård', 'Bjørnstad', 'Æsøy',
  'Kjær', 'Sæther', 'Nordmann', 'Hansen', 'Johansen', 'Lærum', 'Østby', 'Aasen', 'Brække',
];
const STREETS = ['Storgata', 'Kjærlighetsstien', 'Øvre Slottsgate', 'Åsveien', 'Bryggen', 'Sjøgata', 'Fjellveien'];
/** City and its first postal code: many start with 0. */
const CITIES = [
  ['Oslo', 150], ['Oslo', 1], ['Oslo', 355], ['Ås', 1430], ['Bergen', 5003], ['Trondheim', 7010],
  ['Tromsø', 9008], ['Bodø', 8006], ['Ålesund', 6002], ['Førde', 6800], ['Sandnes', 4306],
];
const DOMAINS = ['example.no', 'eksempel.no', 'Example.com', 'post.example'];

/** `ø` → `o`, `æ` → `ae`, `å` → `a`, spaces → `.`: an e-mail's local part. */
function slug(s) {
  return s.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a').replace(/\s+/g, '.');
}

/** A Norwegian number, mobile (4/9) or not, written one of the ways people do. */
export function phone(r, mobile) {
  const first = mobile ? r.pick([4, 9]) : r.pick([2, 3, 5, 7]);
  const d = `${first}${String(r.below(10_000_000)).padStart(7, '0')}`;
  switch (r.below(4)) {
    case 0: return `+47 ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`;
    case 1: return d;
    case 2: return `0047 ${d}`;
    default: return `${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`;
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A Salesforce record id, 18 characters: the 15-character case-sensitive id (`003` is
 * Contact's key prefix) and the 3-character suffix that encodes its capitals, as Salesforce
 * computes it (each 5 characters give a bit mask, read in `A-Z0-5`).
 */
export function salesforceId(r, n) {
  const body = `003${'5g00000'}${String(n).padStart(5, '0')}`.split('');
  // Two random case-sensitive characters so that the suffix is not always AAA.
  body[8] = r.pick(ALNUM.split(''));
  body[9] = r.pick(ALNUM.split(''));
  const id15 = body.join('');
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[bits];
  }
  return id15 + suffix;
}

/** A Dataverse row id: a GUID, lower case with hyphens, as the Web API and exports write it. */
export function guid(r) {
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[r.below(16)]).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[r.below(4)]}${hex(3)}-${hex(12)}`;
}

/**
 * The shape of each preset's export: its columns (the preset's, in the CRM's order, plus
 * some the mapping does not name), how a row is made, and how the CRM writes the CSV.
 * Column names are the preset's: what its `notes` say the CRM's import maps.
 */
const SHAPES = {
  salesforce: {
    // Data Loader's Export of Contact: API names, every value quoted, no byte-order mark.
    columns: ['Id', 'AccountId', 'FirstName', 'LastName', 'Title', 'Phone', 'MobilePhone', 'OtherPhone', 'Email',
      'MailingStreet', 'MailingPostalCode', 'MailingCity', 'LeadSource', 'CreatedDate'],
    bom: false,
    quoteAll: true,
    id: (r, n) => salesforceId(r, n),
    extra: (r, n) => ({
      AccountId: `001${'5g00000'}${String(n % 97).padStart(5, '0')}AAA`,
      Title: r.pick(['', 'Daglig leder', 'Innkjøper', 'Selger']),
      LeadSource: r.pick(['Web', 'Phone Inquiry', 'Partner Referral', '']),
      CreatedDate: `2024-0${1 + r.below(9)}-1${r.below(10)}T08:${10 + r.below(50)}:00.000Z`,
    }),
    fields: { first: 'FirstName', last: 'LastName', phone: 'Phone', mobile: 'MobilePhone', other: 'OtherPhone',
      email: 'Email', street: 'MailingStreet', postal: 'MailingPostalCode', city: 'MailingCity' },
  },
  dynamics365: {
    // A Dataverse contact export (logical names), UTF-8 with a byte-order mark.
    columns: ['contactid', 'firstname', 'lastname', 'fullname', 'jobtitle', 'telephone1', 'mobilephone', 'telephone2',
      'emailaddress1', 'address1_line1', 'address1_postalcode', 'address1_city', 'createdon', 'statecode'],
    bom: true,
    quoteAll: false,
    id: (r) => guid(r),
    extra: (r, n, row) => ({
      fullname: [row.firstname, row.lastname].filter(Boolean).join(' '),
      jobtitle: r.pick(['', 'Daglig leder', 'Innkjøper']),
      createdon: `2023-1${r.below(3)}-0${1 + r.below(9)} 1${r.below(10)}:00:00`,
      statecode: 'Active',
    }),
    fields: { first: 'firstname', last: 'lastname', phone: 'telephone1', mobile: 'mobilephone', other: 'telephone2',
      email: 'emailaddress1', street: 'address1_line1', postal: 'address1_postalcode', city: 'address1_city' },
  },
  hubspot: {
    // A contacts export with internal property names as headers and the Record ID.
    columns: ['Record ID', 'firstname', 'lastname', 'email', 'phone', 'mobilephone', 'address', 'zip', 'city',
      'lifecyclestage', 'hs_lead_status', 'createdate'],
    bom: false,
    quoteAll: false,
    // hs_object_id: 11 digits, never the sandbox's own generated ids (6 digits).
    id: (r, n) => String(51_000_000_000 + n * 7919 + r.below(7919)),
    extra: (r) => ({
      lifecyclestage: r.pick(['lead', 'customer', 'subscriber']),
      hs_lead_status: r.pick(['', 'NEW', 'OPEN', 'CONNECTED']),
      createdate: `2024-0${1 + r.below(9)}-1${r.below(10)} 09:30`,
    }),
    fields: { first: 'firstname', last: 'lastname', phone: 'phone', mobile: 'mobilephone', other: null,
      email: 'email', street: 'address', postal: 'zip', city: 'city' },
  },
};

export const PRESET_NAMES = Object.keys(SHAPES);

/** The columns of each role (first, last, phone, mobile, other, email, street, postal, city). */
export const roles = (preset) => SHAPES[preset].fields;

/** One CSV cell as the CRM writes it. */
function cell(value, delimiter, quoteAll) {
  const v = String(value ?? '');
  if (quoteAll || v.includes(delimiter) || /["\r\n]/.test(v)) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

/** Rows as the CRM writes its CSV: `delimiter`, a byte-order mark or not, CRLF. */
export function writeCsv(columns, rows, { delimiter = ',', bom = false, quoteAll = false } = {}) {
  const lines = [columns, ...rows.map((row) => columns.map((c) => row[c] ?? ''))]
    .map((cells) => cells.map((v) => cell(v, delimiter, quoteAll)).join(delimiter));
  const text = `${bom ? '\ufeff' : ''}${lines.join('\r\n')}\r\n`;
  return new TextEncoder().encode(text);
}

/**
 * A preset's CRM export: `{ columns, rows, bytes }`. `rows` are objects keyed by the CRM's
 * columns (all text), `bytes` the CSV as the CRM writes it with the preset's `delimiter`.
 */
export function crmExport(preset, mapping, { count = 2000, seed = 1 } = {}) {
  const shape = SHAPES[preset];
  if (!shape) throw new Error(`no fixture shape for ${preset}`);
  const f = shape.fields;
  const r = rng(seed * 7_919 + preset.length);
  const rows = [];
  const ids = new Set();
  for (let n = 1; n <= count; n++) {
    let id = shape.id(r, n);
    while (ids.has(id)) id = shape.id(r, n + count);
    ids.add(id);
    const first = r.chance(2) ? '' : r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    const [city, postal0] = r.pick(CITIES);
    const row = {
      [shape.columns[0]]: id,
      [f.first]: first,
      [f.last]: last,
      [f.phone]: r.chance(85) ? phone(r, r.chance(60)) : '',
      [f.mobile]: r.chance(50) ? phone(r, true) : '',
      [f.email]: r.chance(90)
        ? `${slug(first || 'post')}.${slug(last)}${r.below(10)}@${r.pick(DOMAINS)}`
        : '',
      [f.street]: r.chance(90)
        ? `${r.pick(STREETS)} ${1 + r.below(140)}${r.chance(15) ? 'B' : ''}${r.chance(10) ? ', 2. etg' : ''}`
        : '',
      [f.postal]: String(postal0 + r.below(8)).padStart(4, '0'),
      [f.city]: city,
    };
    if (f.other) row[f.other] = r.chance(8) ? phone(r, false) : '';
    // The e-mail as people type it: sometimes with capitals.
    if (row[f.email] && r.chance(15)) row[f.email] = row[f.email].replace(/^./, (c) => c.toUpperCase());
    Object.assign(row, shape.extra(r, n, row));
    rows.push(row);
  }
  const file = mapping?.file ?? {};
  const bytes = writeCsv(shape.columns, rows, {
    delimiter: file.delimiter ?? ',',
    bom: file.bom ?? shape.bom,
    quoteAll: shape.quoteAll,
  });
  return { columns: shape.columns, rows, bytes };
}
