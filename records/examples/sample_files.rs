//! Writes `sample.xlsx` and `sample.csv` (`;`, BOM) into the folder given as the first
//! argument (default: the current folder), to open by hand in Excel or LibreOffice.
//!
//! `cargo run -p cube-records --example sample_files -- /tmp`

use cube_records::{to_csv, to_xlsx, CsvOptions, LongCells, Record, XlsxOptions};
use serde_json::json;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let records: Vec<Record> = json!([
        {"crm__customer_id": "007", "crm__standard_info__name": "Åse Ødegård",
         "crm__standard_info__phone_1": "+47 22 33 44 55", "crm__custom_info__64": 233,
         "crm__custom_info__65": "Storgata 1\n3. etasje", "crm__change_log__updated": "2024-03-05"},
        {"crm__customer_id": "0100", "crm__standard_info__name": "Ola \"Nordmann\"",
         "crm__standard_info__phone_1": "004790000000", "crm__custom_info__64": 2.5,
         "crm__custom_info__65": "", "crm__change_log__updated": "2024-03-06"}
    ])
    .as_array()
    .into_iter()
    .flatten()
    .filter_map(|r| r.as_object().cloned())
    .collect();
    std::fs::write(
        dir.join("sample.xlsx"),
        to_xlsx(&records, &XlsxOptions::default(), None, LongCells::Refuse)?,
    )?;
    let csv = CsvOptions {
        delimiter: ';',
        bom: true,
        columns: None,
        formula_guard: true,
    };
    std::fs::write(dir.join("sample.csv"), to_csv(&records, &csv, None)?)?;
    println!("wrote {0}/sample.xlsx and {0}/sample.csv", dir.display());
    Ok(())
}
