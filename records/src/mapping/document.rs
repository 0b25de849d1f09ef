//! The mapping document read and checked: every mistake a [`RecordsError::InvalidMapping`]
//! whose path is the JSON path inside the mapping (`mapping.fields[3].cube`).

use super::conventions::{DateFormat, FileConventions};
use super::phone::{self, Country};
use crate::error::{quote, RecordsError, Result};
use crate::fields::{self, CUSTOMER_ID, EMAIL, NAME, PHONES};
use crate::labels::kind as kind_of;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// The mapping versions this library reads.
pub const VERSION: u64 = 1;

/// A checked mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// What the mapping is for (`Salesforce Contact (Data Loader)`).
    pub title: String,
    /// Free notes for people.
    pub notes: Vec<String>,
    /// Where the CRM documents its conventions.
    pub sources: Vec<String>,
    /// The CRM's id column ↔ Cube's `crm__customer_id`.
    pub key: Key,
    /// The name, if mapped.
    pub name: Option<NameColumns>,
    /// How phone numbers are read and written.
    pub phone: PhoneRules,
    /// The other fields, in order.
    pub fields: Vec<Field>,
    /// The CRM's file conventions.
    pub file: FileConventions,
}

/// `key`: the CRM's id column and the Cube field holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The CRM's column (`Id`, `contactid`, `Record ID`).
    pub crm: String,
    /// The Cube field (default `crm__customer_id`).
    pub cube: String,
}

/// `name`: the CRM's name columns; Cube's side is always `crm__standard_info__name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameColumns {
    /// One column with the whole name.
    Full(String),
    /// A first-name and a last-name column (see [`super::name`] for the rule).
    Parts {
        /// The first-name column.
        first: String,
        /// The last-name column.
        last: String,
    },
}

/// `phone`: the country of numbers written without a country code, and how numbers are
/// written into the CRM's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneRules {
    /// `defaultCountry` (default `NO`).
    pub country: Country,
    /// `write` (default `e164`).
    pub write: PhoneWrite,
}

/// How a phone number is written into a CRM's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneWrite {
    /// `+4791234567`.
    E164,
    /// As the default country writes it at home (`91234567`); other countries' numbers E.164.
    National,
    /// As Cube has it (trimmed).
    AsTyped,
}

/// Which Cube field a mapped column is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CubeField {
    /// A record key: `crm__standard_info__phone_1`, `crm__custom_info__64`.
    Key(String),
    /// A custom field by its label in Cube (`City`).
    Label(String),
}

/// What kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, compared after trimming and the field's transforms.
    Text,
    /// A phone number, compared as E.164.
    Phone,
    /// A date: Cube's `YYYY-MM-DD`, the CRM's `file.dateFormat`.
    Date,
}

/// A transform applied to a value (after trimming) on its way either way, and before values
/// are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// `upper`: upper case.
    Upper,
    /// `lower`: lower case (e-mail addresses).
    Lower,
    /// `collapseSpaces`: every run of white space one space.
    CollapseSpaces,
}

/// Which way a field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Into Cube's import sheet and back into the CRM's files (default).
    Both,
    /// Only into Cube's import sheet.
    ToCube,
    /// Only into the CRM's files.
    ToCrm,
}

/// One entry of `fields`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its path in the mapping (`mapping.fields[3]`), for messages.
    pub path: String,
    /// The CRM's column.
    pub crm: String,
    /// The Cube field.
    pub cube: CubeField,
    /// `type` (default `phone` for Cube's phone fields, else `text`).
    pub kind: Kind,
    /// `transform`, in order.
    pub transforms: Vec<Transform>,
    /// `direction` (default both).
    pub direction: Direction,
    /// `optional`: a custom field no customer has (its label unknown to Cube's custom
    /// fields, its column missing from a CRM export) is left out and said so, not an error.
    pub optional: bool,
}

impl Field {
    /// The value as it goes either way and is compared: trimmed, then transformed.
    pub fn transformed(&self, text: &str) -> String {
        let mut out = text.trim().to_string();
        for t in &self.transforms {
            out = match t {
                Transform::Upper => out.to_uppercase(),
                Transform::Lower => out.to_lowercase(),
                Transform::CollapseSpaces => super::name::tidy(&out),
            };
        }
        out
    }
}

/// A JSON object being read, its path, and the members read so far.
struct Obj<'a> {
    path: String,
    map: &'a Map<String, Value>,
}

fn object<'a>(value: &'a Value, path: &str) -> Result<Obj<'a>> {
    match value {
        Value::Object(map) => Ok(Obj {
            path: path.to_string(),
            map,
        }),
        other => Err(RecordsError::mapping(
            path,
            format!("must be an object, got {}", kind_of(other)),
        )),
    }
}

impl<'a> Obj<'a> {
    fn at(&self, member: &str) -> String {
        format!("{}.{member}", self.path)
    }

    /// Refuses members not in `known`, naming the first.
    fn only(&self, known: &[&str]) -> Result<()> {
        if let Some(k) = self.map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(RecordsError::mapping(
                self.at(k),
                format!("unknown member; expected {}", known.join(", ")),
            ));
        }
        Ok(())
    }

    fn get(&self, member: &str) -> Option<&'a Value> {
        self.map.get(member).filter(|v| !v.is_null())
    }

    fn string(&self, member: &str) -> Result<Option<&'a str>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(RecordsError::mapping(
                self.at(member),
                format!("must be a string, got {}", kind_of(other)),
            )),
        }
    }

    /// A string that is not empty nor only spaces.
    fn name(&self, member: &str) -> Result<Option<String>> {
        match self.string(member)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Err(RecordsError::mapping(
                self.at(member),
                "must not be empty".to_string(),
            )),
            Some(s) => Ok(Some(s.trim().to_string())),
        }
    }

    fn required_name(&self, member: &str) -> Result<String> {
        self.name(member)?.ok_or_else(|| {
            RecordsError::mapping(self.at(member), "is missing (a column name)".to_string())
        })
    }

    fn boolean(&self, member: &str, default: bool) -> Result<bool> {
        match self.get(member) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(RecordsError::mapping(
                self.at(member),
                format!("must be true or false, got {}", kind_of(other)),
            )),
        }
    }

    /// A string or an array of strings.
    fn strings(&self, member: &str) -> Result<Vec<String>> {
        match self.get(member) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(RecordsError::mapping(
                        format!("{}[{i}]", self.at(member)),
                        format!("must be a string, got {}", kind_of(other)),
                    )),
                })
                .collect(),
            Some(other) => Err(RecordsError::mapping(
                self.at(member),
                format!(
                    "must be a string or an array of strings, got {}",
                    kind_of(other)
                ),
            )),
        }
    }

    fn choice<T: Copy>(&self, member: &str, choices: &[(&str, T)], default: T) -> Result<T> {
        let Some(s) = self.string(member)? else {
            return Ok(default);
        };
        choices
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<String> = choices.iter().map(|(n, _)| quote(n)).collect();
                RecordsError::mapping(
                    self.at(member),
                    format!("{} is not one of {}", quote(s), names.join(", ")),
                )
            })
    }
}

/// Whether `key` is a Cube customer field a mapping may name: the standard fields and the
/// custom fields (`crm__custom_info__N`).
fn customer_field(key: &str) -> bool {
    key == NAME || key == EMAIL || PHONES.contains(&key) || fields::is_custom(key)
}

/// `version`: there, and [`VERSION`].
fn check_version(top: &Obj<'_>) -> Result<()> {
    match top.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => Ok(()),
        None => Err(RecordsError::mapping(
            top.at("version"),
            format!("is missing: a mapping starts with {{\"version\": {VERSION}, …}}"),
        )),
        Some(other) => Err(RecordsError::mapping(
            top.at("version"),
            format!("{other} is not a version this library reads (it reads {VERSION})"),
        )),
    }
}

/// `sources`: http(s) URLs.
fn check_sources(top: &Obj<'_>, sources: &[String]) -> Result<()> {
    for (i, s) in sources.iter().enumerate() {
        if !(s.starts_with("https://") || s.starts_with("http://")) {
            return Err(RecordsError::mapping(
                format!("{}[{i}]", top.at("sources")),
                format!("{} is not an http(s) URL", quote(s)),
            ));
        }
    }
    Ok(())
}

/// `fields`: an array of field objects (none when missing).
fn fields_of(top: &Obj<'_>) -> Result<Vec<Field>> {
    match top.get("fields") {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| field(v, &format!("{}[{i}]", top.at("fields"))))
            .collect(),
        Some(other) => Err(RecordsError::mapping(
            top.at("fields"),
            format!("must be an array of field objects, got {}", kind_of(other)),
        )),
    }
}

/// `name`: `full`, or `first` and `last`.
fn name_columns(value: &Value, path: &str) -> Result<NameColumns> {
    let n = object(value, path)?;
    n.only(&["first", "last", "full"])?;
    let (first, last, full) = (n.name("first")?, n.name("last")?, n.name("full")?);
    match (first, last, full) {
        (None, None, Some(full)) => Ok(NameColumns::Full(full)),
        (Some(first), Some(last), None) => Ok(NameColumns::Parts { first, last }),
        (_, _, Some(_)) => Err(RecordsError::mapping(
            n.at("full"),
            "give either full, or first and last, not both".to_string(),
        )),
        (None, _, None) => Err(RecordsError::mapping(
            n.at("first"),
            "is missing: give first and last (the CRM's name columns), or full".to_string(),
        )),
        (Some(_), None, None) => Err(RecordsError::mapping(
            n.at("last"),
            "is missing: give first and last (the CRM's name columns), or full".to_string(),
        )),
    }
}

/// `phone`: the default country (Norway) and how numbers are written (E.164).
fn phone_rules(top: &Obj<'_>) -> Result<PhoneRules> {
    let Some(v) = top.get("phone") else {
        return Ok(PhoneRules {
            country: phone::country("NO", "")?,
            write: PhoneWrite::E164,
        });
    };
    let p = object(v, &top.at("phone"))?;
    p.only(&["defaultCountry", "write"])?;
    let country = phone::country(
        p.string("defaultCountry")?.unwrap_or("NO"),
        &p.at("defaultCountry"),
    )?;
    let write = p.choice(
        "write",
        &[
            ("e164", PhoneWrite::E164),
            ("national", PhoneWrite::National),
            ("asTyped", PhoneWrite::AsTyped),
        ],
        PhoneWrite::E164,
    )?;
    Ok(PhoneRules { country, write })
}

impl Mapping {
    /// Reads and checks a mapping document; paths in errors start at `root` (`mapping`).
    pub fn from_value(value: &Value, root: &str) -> Result<Mapping> {
        let top = object(value, root)?;
        top.only(&[
            "version", "title", "notes", "sources", "key", "name", "phone", "fields", "file",
        ])?;
        check_version(&top)?;
        let title = top.string("title")?.unwrap_or("").trim().to_string();
        let notes = top.strings("notes")?;
        let sources = top.strings("sources")?;
        check_sources(&top, &sources)?;
        let key = match top.get("key") {
            None => {
                return Err(RecordsError::mapping(
                    top.at("key"),
                    "is missing: {\"crm\": \"<the CRM's id column>\"}".to_string(),
                ))
            }
            Some(v) => {
                let k = object(v, &top.at("key"))?;
                k.only(&["crm", "cube"])?;
                let crm = k.required_name("crm")?;
                let cube = k.name("cube")?.unwrap_or_else(|| CUSTOMER_ID.to_string());
                if cube != CUSTOMER_ID && !fields::is_custom(&cube) {
                    return Err(RecordsError::mapping(
                        k.at("cube"),
                        format!(
                            "{} cannot be the key: use {CUSTOMER_ID} (the default) or a custom \
                             field crm__custom_info__N",
                            quote(&cube)
                        ),
                    ));
                }
                Key { crm, cube }
            }
        };
        let name = match top.get("name") {
            None => None,
            Some(v) => Some(name_columns(v, &top.at("name"))?),
        };
        let phone = phone_rules(&top)?;
        let fields = fields_of(&top)?;
        let file = match top.get("file") {
            None => FileConventions::default(),
            Some(v) => file(v, &top.at("file"))?,
        };

        let mapping = Mapping {
            title,
            notes,
            sources,
            key,
            name,
            phone,
            fields,
            file,
        };
        mapping.check_columns(root)?;
        Ok(mapping)
    }

    /// No CRM column twice, no Cube field twice.
    fn check_columns(&self, root: &str) -> Result<()> {
        let mut columns: HashSet<&str> = HashSet::new();
        let mut cube: HashSet<String> = HashSet::new();
        columns.insert(&self.key.crm);
        cube.insert(format!("key {}", self.key.cube));
        let twice = |path: String, what: &str, name: &str| {
            RecordsError::mapping(path, format!("{what} {} is mapped twice", quote(name)))
        };
        let name_columns: Vec<(&str, &String)> = match &self.name {
            Some(NameColumns::Full(full)) => vec![("full", full)],
            Some(NameColumns::Parts { first, last }) => vec![("first", first), ("last", last)],
            None => Vec::new(),
        };
        for (member, column) in name_columns {
            if !columns.insert(column) {
                return Err(twice(
                    format!("{root}.name.{member}"),
                    "the CRM column",
                    column,
                ));
            }
        }
        if self.name.is_some() {
            cube.insert(format!("key {NAME}"));
        }
        for f in &self.fields {
            if !columns.insert(&f.crm) {
                return Err(twice(format!("{}.crm", f.path), "the CRM column", &f.crm));
            }
            let (id, shown) = match &f.cube {
                CubeField::Key(k) => (format!("key {k}"), k.as_str()),
                CubeField::Label(l) => (format!("label {l}"), l.as_str()),
            };
            if !cube.insert(id) {
                return Err(twice(format!("{}.cube", f.path), "the Cube field", shown));
            }
        }
        Ok(())
    }
}

fn field(value: &Value, path: &str) -> Result<Field> {
    let f = object(value, path)?;
    f.only(&["crm", "cube", "type", "transform", "direction", "optional"])?;
    let crm = f.required_name("crm")?;
    let cube = cube_field(&f)?;
    let is_phone = matches!(&cube, CubeField::Key(k) if PHONES.contains(&k.as_str()));
    let kind = f.choice(
        "type",
        &[
            ("text", Kind::Text),
            ("phone", Kind::Phone),
            ("date", Kind::Date),
        ],
        if is_phone { Kind::Phone } else { Kind::Text },
    )?;
    let transforms = transforms(&f)?;
    if kind == Kind::Phone && !transforms.is_empty() {
        return Err(RecordsError::mapping(
            f.at("transform"),
            "a phone field is normalized to E.164: it takes no transform".to_string(),
        ));
    }
    let direction = f.choice(
        "direction",
        &[
            ("both", Direction::Both),
            ("toCube", Direction::ToCube),
            ("toCrm", Direction::ToCrm),
        ],
        Direction::Both,
    )?;
    let optional = f.boolean("optional", false)?;
    Ok(Field {
        path: path.to_string(),
        crm,
        cube,
        kind,
        transforms,
        direction,
        optional,
    })
}

/// A field's `cube`: a customer field's key (not the name's nor the key's), or a label.
fn cube_field(f: &Obj<'_>) -> Result<CubeField> {
    let Some(k) = f.name("cube")? else {
        return Err(RecordsError::mapping(
            f.at("cube"),
            "is missing: a Cube field (crm__standard_info__email, crm__custom_info__64) or \
             a custom field's label"
                .to_string(),
        ));
    };
    if !k.starts_with("crm__") {
        return Ok(CubeField::Label(k));
    }
    if k == NAME {
        return Err(RecordsError::mapping(
            f.at("cube"),
            format!("{NAME} is mapped by the member name (first and last, or full)"),
        ));
    }
    if k == CUSTOMER_ID {
        return Err(RecordsError::mapping(
            f.at("cube"),
            format!("{CUSTOMER_ID} is mapped by the member key"),
        ));
    }
    if !customer_field(&k) {
        return Err(RecordsError::mapping(
            f.at("cube"),
            format!(
                "{} is not a customer field Cube's import takes: \
             crm__standard_info__phone_1..3, crm__standard_info__email, \
             crm__custom_info__N (or a custom field's label)",
                quote(&k)
            ),
        ));
    }
    Ok(CubeField::Key(k))
}

/// A field's `transform`: an array of transform names (none when missing).
fn transforms(f: &Obj<'_>) -> Result<Vec<Transform>> {
    match f.get("transform") {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let at = format!("{}[{i}]", f.at("transform"));
                match v.as_str() {
                    Some("upper") => Ok(Transform::Upper),
                    Some("lower") => Ok(Transform::Lower),
                    Some("collapseSpaces") => Ok(Transform::CollapseSpaces),
                    Some("trim") => Err(RecordsError::mapping(
                        at,
                        "every value is trimmed already: leave \"trim\" out".to_string(),
                    )),
                    _ => Err(RecordsError::mapping(
                        at,
                        format!(
                            "{} is not one of \"upper\", \"lower\", \"collapseSpaces\"",
                            v
                        ),
                    )),
                }
            })
            .collect(),
        Some(other) => Err(RecordsError::mapping(
            f.at("transform"),
            format!(
                "must be an array of transform names, got {}",
                kind_of(other)
            ),
        )),
    }
}

fn file(value: &Value, path: &str) -> Result<FileConventions> {
    let o = object(value, path)?;
    o.only(&[
        "delimiter",
        "bom",
        "encoding",
        "dateFormat",
        "unchanged",
        "clear",
        "keepUnchangedColumns",
        "formulaGuard",
    ])?;
    let mut c = FileConventions::default();
    if let Some(d) = o.string("delimiter")? {
        c.delimiter = match d {
            "," | ";" | "\t" | "|" => d.chars().next().expect("one character"),
            other => {
                return Err(RecordsError::mapping(
                    o.at("delimiter"),
                    format!(
                        "{} is not one of \",\", \";\", \"\\t\", \"|\"",
                        quote(other)
                    ),
                ))
            }
        };
    }
    c.bom = o.boolean("bom", false)?;
    if let Some(e) = o.string("encoding")? {
        let utf8 = e.eq_ignore_ascii_case("utf-8") || e.eq_ignore_ascii_case("utf8");
        if !utf8 {
            return Err(RecordsError::mapping(
                o.at("encoding"),
                format!(
                    "{} is not written by this library: only \"utf-8\" (with \"bom\": true for \
                     programs that need the byte-order mark to read UTF-8)",
                    quote(e)
                ),
            ));
        }
        c.encoding = "utf-8".into();
    }
    if let Some(f) = o.string("dateFormat")? {
        c.date_format = DateFormat::parse(f, &o.at("dateFormat"))?;
    }
    if let Some(u) = o.string("unchanged")? {
        c.unchanged = u.to_string();
    }
    c.clear = clear(&o, &c.unchanged)?;
    c.keep_unchanged_columns = o.boolean("keepUnchangedColumns", false)?;
    c.formula_guard = o.boolean("formulaGuard", true)?;
    Ok(c)
}

/// `file.clear`: the text that clears a field (not `unchanged`'s), or null.
fn clear(o: &Obj<'_>, unchanged: &str) -> Result<Option<String>> {
    let clear = match o.map.get("clear") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(RecordsError::mapping(
                o.at("clear"),
                format!(
                    "must be the text that clears a field, or null when the CRM's import \
                     cannot clear one; got {}",
                    kind_of(other)
                ),
            ))
        }
    };
    if clear.as_deref() == Some(unchanged) {
        return Err(RecordsError::mapping(
            o.at("clear"),
            format!(
                "is {} as unchanged is: the CRM could not tell a cleared field from an \
                 unchanged one. Set clear to null if its import cannot clear a field",
                quote(unchanged)
            ),
        ));
    }
    Ok(clear)
}
