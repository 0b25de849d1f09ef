//! Reading a zip archive, as far as an `.xlsx` needs: the central directory, and entries
//! stored or deflated (`miniz_oxide`). No zip64, no encryption, no multi-disk archives: an
//! archive that needs them is refused with a message saying so.

/// The most bytes one part may inflate to: a sheet of the largest body the sandbox takes
/// (2 MiB) inflates to well under this; a zip bomb stops here.
pub const MAX_PART: usize = 64 * 1024 * 1024;

const END_OF_DIRECTORY: u32 = 0x0605_4b50;
const DIRECTORY_ENTRY: u32 = 0x0201_4b50;
const LOCAL_HEADER: u32 = 0x0403_4b50;

/// One file of the archive, as the central directory describes it.
struct Entry {
    name: String,
    flags: u16,
    method: u16,
    compressed: usize,
    size: usize,
    offset: usize,
}

pub struct Archive<'a> {
    bytes: &'a [u8],
    entries: Vec<Entry>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn damaged(what: &str) -> String {
    format!("the .xlsx file is damaged ({what}): it is not a zip archive Excel could open")
}

impl<'a> Archive<'a> {
    /// Reads the central directory of `bytes`.
    pub fn open(bytes: &'a [u8]) -> Result<Archive<'a>, String> {
        // The end-of-directory record: 22 bytes, then a comment of up to 65 535.
        let earliest = bytes.len().saturating_sub(22 + 0xFFFF);
        let end = (earliest..=bytes.len().saturating_sub(22))
            .rev()
            .find(|&i| u32_at(bytes, i) == Some(END_OF_DIRECTORY))
            .ok_or_else(|| damaged("no end of central directory"))?;
        let count = u16_at(bytes, end + 10).ok_or_else(|| damaged("end of directory"))?;
        let dir_size = u32_at(bytes, end + 12).ok_or_else(|| damaged("end of directory"))?;
        let dir_at = u32_at(bytes, end + 16).ok_or_else(|| damaged("end of directory"))?;
        if count == 0xFFFF || dir_size == u32::MAX || dir_at == u32::MAX {
            return Err(
                "the .xlsx file is a zip64 archive, which the sandbox does not read".into(),
            );
        }
        let mut entries = Vec::with_capacity(count as usize);
        let mut at = dir_at as usize;
        for _ in 0..count {
            let field = |off: usize| u32_at(bytes, at + off).ok_or_else(|| damaged("directory"));
            let short = |off: usize| u16_at(bytes, at + off).ok_or_else(|| damaged("directory"));
            if field(0)? != DIRECTORY_ENTRY {
                return Err(damaged("a directory entry"));
            }
            let (name_len, extra_len, comment_len) = (
                short(28)? as usize,
                short(30)? as usize,
                short(32)? as usize,
            );
            let name = bytes
                .get(at + 46..at + 46 + name_len)
                .ok_or_else(|| damaged("an entry's name"))?;
            let (compressed, size, offset) = (field(20)?, field(24)?, field(42)?);
            if [compressed, size, offset].contains(&u32::MAX) {
                return Err(
                    "the .xlsx file is a zip64 archive, which the sandbox does not read".into(),
                );
            }
            entries.push(Entry {
                name: String::from_utf8_lossy(name).into_owned(),
                flags: short(8)?,
                method: short(10)?,
                compressed: compressed as usize,
                size: size as usize,
                offset: offset as usize,
            });
            at += 46 + name_len + extra_len + comment_len;
        }
        Ok(Archive { bytes, entries })
    }

    /// The bytes of the entry called `name` (part names compare as OPC says: without a
    /// leading `/`, ASCII case ignored), or `None` when the archive has no such entry.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let name = name.trim_start_matches('/');
        let Some(e) = self
            .entries
            .iter()
            .find(|e| e.name.trim_start_matches('/').eq_ignore_ascii_case(name))
        else {
            return Ok(None);
        };
        if e.flags & 1 != 0 {
            return Err(format!("{name} in the .xlsx file is encrypted"));
        }
        if e.size > MAX_PART {
            return Err(format!(
                "{name} in the .xlsx file inflates to {} bytes, more than the {MAX_PART} the sandbox reads",
                e.size
            ));
        }
        let b = self.bytes;
        if u32_at(b, e.offset) != Some(LOCAL_HEADER) {
            return Err(damaged(&format!("the local header of {name}")));
        }
        let name_len = u16_at(b, e.offset + 26).unwrap_or(0) as usize;
        let extra_len = u16_at(b, e.offset + 28).unwrap_or(0) as usize;
        let start = e.offset + 30 + name_len + extra_len;
        let data = b
            .get(start..start + e.compressed)
            .ok_or_else(|| damaged(&format!("{name} is cut short")))?;
        let out = match e.method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, e.size)
                .map_err(|_| damaged(&format!("{name} does not inflate")))?,
            m => {
                return Err(format!(
                    "{name} in the .xlsx file is compressed with method {m}; the sandbox reads stored and deflated parts"
                ))
            }
        };
        if out.len() != e.size {
            return Err(damaged(&format!(
                "{name} has another size than its entry says"
            )));
        }
        Ok(Some(out))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A zip of stored entries (no CRC: the reader does not check it).
    pub fn stored_zip(files: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for (name, text) in files {
            let offset = out.len() as u32;
            let (n, size) = (name.len() as u16, text.len() as u32);
            out.extend_from_slice(&LOCAL_HEADER.to_le_bytes());
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(text.as_bytes());
            directory.extend_from_slice(&DIRECTORY_ENTRY.to_le_bytes());
            directory.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            directory.extend_from_slice(&size.to_le_bytes());
            directory.extend_from_slice(&size.to_le_bytes());
            directory.extend_from_slice(&n.to_le_bytes());
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(name.as_bytes());
        }
        let at = out.len() as u32;
        out.extend_from_slice(&directory);
        out.extend_from_slice(&END_OF_DIRECTORY.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn reads_stored_entries_by_part_name() {
        let zip = stored_zip(&[("xl/workbook.xml", "<workbook/>"), ("a.txt", "å")]);
        let archive = Archive::open(&zip).unwrap();
        assert_eq!(
            archive.read("/XL/Workbook.xml").unwrap().unwrap(),
            b"<workbook/>"
        );
        assert_eq!(archive.read("a.txt").unwrap().unwrap(), "å".as_bytes());
        assert_eq!(archive.read("b.txt").unwrap(), None);
    }

    #[test]
    fn damaged_archives_are_refused_with_a_message() {
        let zip = stored_zip(&[("a.txt", "hello")]);
        assert!(Archive::open(b"PK\x03\x04 not really").is_err());
        let cut = &zip[..zip.len() - 30];
        assert!(Archive::open(cut).is_err() || Archive::open(cut).unwrap().read("a.txt").is_err());
        let mut wrong_size = zip.clone();
        // The directory's uncompressed size (offset 24 of the entry) says 4, the data is 5.
        let dir = u32_at(&zip, zip.len() - 6).unwrap() as usize;
        wrong_size[dir + 24] = 4;
        assert!(Archive::open(&wrong_size).unwrap().read("a.txt").is_err());
    }
}
