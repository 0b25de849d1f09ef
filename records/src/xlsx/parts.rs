//! The parts of a workbook: fixed ones, and those that list its sheets.

use super::xml::escape_into;
use std::fmt::Write as _;

pub(crate) const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// `[Content_Types].xml` for a workbook of `sheets` sheets.
pub(crate) fn content_types(sheets: usize) -> String {
    let mut s = String::from(HEADER);
    s.push_str(concat!(
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    ));
    for n in 1..=sheets {
        let _ = write!(
            s,
            r#"<Override PartName="/{}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
            sheet_part(n)
        );
    }
    s.push_str(concat!(
        r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
        r#"</Types>"#
    ));
    s
}

/// The zip path of sheet `n` (1-based).
pub(crate) fn sheet_part(n: usize) -> String {
    format!("xl/worksheets/sheet{n}.xml")
}

pub(crate) const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"</Relationships>"#
);

/// `xl/_rels/workbook.xml.rels`: sheet `n` is `rId{n}`, the styles come after them.
pub(crate) fn workbook_rels(sheets: usize) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for n in 1..=sheets {
        let _ = write!(
            s,
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
    }
    let _ = write!(
        s,
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
        sheets + 1
    );
    s.push_str("</Relationships>");
    s
}

/// Cell styles: 0 normal, 1 bold (header), 2 text format `@` (ids).
pub(crate) const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill>"#,
    r#"<fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"</styleSheet>"#
);

pub(crate) const STYLE_HEADER: u8 = 1;
pub(crate) const STYLE_TEXT: u8 = 2;

/// `xl/workbook.xml` listing the sheets of the given (already validated) names, in order.
pub(crate) fn workbook<S: AsRef<str>>(sheet_names: &[S]) -> String {
    let mut s = String::from(HEADER);
    s.push_str(concat!(
        r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
        r#"<sheets>"#
    ));
    for (i, name) in sheet_names.iter().enumerate() {
        s.push_str(r#"<sheet name=""#);
        escape_into(&mut s, name.as_ref());
        let n = i + 1;
        let _ = write!(s, r#"" sheetId="{n}" r:id="rId{n}"/>"#);
    }
    s.push_str("</sheets></workbook>");
    s
}

/// Start of a worksheet part; the header row is frozen when there is one.
pub(crate) fn sheet_start(freeze_header: bool) -> String {
    let mut s = String::from(HEADER);
    s.push_str(r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    if freeze_header {
        s.push_str(concat!(
            r#"<sheetViews><sheetView workbookViewId="0">"#,
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#,
            r#"</sheetView></sheetViews>"#
        ));
    }
    s.push_str("<sheetData>");
    s
}

pub(crate) const SHEET_END: &str = "</sheetData></worksheet>";
