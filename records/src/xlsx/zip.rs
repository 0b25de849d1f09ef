//! A minimal zip writer: deflated entries streamed into a byte buffer.
//!
//! Each local header is written first with zero CRC and sizes and patched in place when the
//! entry ends (the output is a `Vec<u8>`, so no data descriptors are needed). No zip64: an
//! entry or the archive beyond 4 GiB is refused. Timestamps are fixed (1980-01-01 00:00) so
//! the same input gives the same bytes.

use super::crc32::Crc32;
use crate::error::{RecordsError, Result};
use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL: u32 = 0x0605_4b50;
const VERSION: u16 = 20;
const DEFLATE: u16 = 8;
const DOS_DATE_1980_01_01: u16 = 0x0021;
/// Bit 11: file names are UTF-8.
const FLAG_UTF8: u16 = 0x0800;

struct Entry {
    name: String,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

struct Open {
    name: String,
    offset: usize,
    data_start: usize,
    crc: Crc32,
    size: u64,
    compressor: Box<CompressorOxide>,
}

/// Writes a zip archive into memory, one entry at a time.
pub(crate) struct ZipWriter {
    out: Vec<u8>,
    entries: Vec<Entry>,
    open: Option<Open>,
    level: u8,
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn too_large(what: &str) -> RecordsError {
    RecordsError::TooLarge(format!("{what} exceeds 4 GiB (zip64 is not supported)"))
}

impl ZipWriter {
    /// A writer compressing at `level` (0–10; 6 is zlib's default).
    pub(crate) fn new(level: u8) -> Self {
        ZipWriter {
            out: Vec::new(),
            entries: Vec::new(),
            open: None,
            level: level.min(10),
        }
    }

    /// Starts an entry, ending the open one if any.
    pub(crate) fn start(&mut self, name: &str) -> Result<()> {
        self.end()?;
        let offset = self.out.len();
        let out = &mut self.out;
        put32(out, LOCAL_HEADER);
        put16(out, VERSION);
        put16(out, FLAG_UTF8);
        put16(out, DEFLATE);
        put16(out, 0); // time 00:00
        put16(out, DOS_DATE_1980_01_01);
        put32(out, 0); // crc, patched by `end`
        put32(out, 0); // compressed size, patched
        put32(out, 0); // size, patched
        put16(out, name.len() as u16);
        put16(out, 0); // extra length
        out.extend_from_slice(name.as_bytes());
        // Raw deflate (negative window bits), default strategy.
        let flags = create_comp_flags_from_zip_params(i32::from(self.level), -15, 0);
        self.open = Some(Open {
            name: name.to_string(),
            offset,
            data_start: self.out.len(),
            crc: Crc32::new(),
            size: 0,
            compressor: Box::new(CompressorOxide::new(flags)),
        });
        Ok(())
    }

    /// Appends bytes to the open entry.
    pub(crate) fn write(&mut self, data: &[u8]) {
        self.deflate(data, TDEFLFlush::None);
    }

    fn deflate(&mut self, data: &[u8], flush: TDEFLFlush) {
        let Some(open) = self.open.as_mut() else {
            debug_assert!(false, "write without an open zip entry");
            return;
        };
        open.crc.update(data);
        open.size += data.len() as u64;
        let out = &mut self.out;
        let (status, _) = compress_to_output(&mut open.compressor, data, flush, |chunk| {
            out.extend_from_slice(chunk);
            true
        });
        debug_assert!(matches!(status, TDEFLStatus::Okay | TDEFLStatus::Done));
    }

    /// Ends the open entry, if any, and patches its local header.
    pub(crate) fn end(&mut self) -> Result<()> {
        if self.open.is_none() {
            return Ok(());
        }
        self.deflate(&[], TDEFLFlush::Finish);
        let Some(open) = self.open.take() else {
            return Ok(());
        };
        let compressed =
            u32::try_from(self.out.len() - open.data_start).map_err(|_| too_large(&open.name))?;
        let size = u32::try_from(open.size).map_err(|_| too_large(&open.name))?;
        let offset = u32::try_from(open.offset).map_err(|_| too_large("the archive"))?;
        let crc = open.crc.finish();
        let at = open.offset + 14;
        self.out[at..at + 4].copy_from_slice(&crc.to_le_bytes());
        self.out[at + 4..at + 8].copy_from_slice(&compressed.to_le_bytes());
        self.out[at + 8..at + 12].copy_from_slice(&size.to_le_bytes());
        self.entries.push(Entry {
            name: open.name,
            crc,
            compressed,
            size,
            offset,
        });
        Ok(())
    }

    /// Adds a whole entry.
    pub(crate) fn add(&mut self, name: &str, data: &[u8]) -> Result<()> {
        self.start(name)?;
        self.write(data);
        self.end()
    }

    /// Writes the central directory and returns the archive.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>> {
        self.end()?;
        let start = self.out.len();
        let out = &mut self.out;
        for e in &self.entries {
            put32(out, CENTRAL_HEADER);
            put16(out, VERSION); // made by
            put16(out, VERSION); // needed
            put16(out, FLAG_UTF8);
            put16(out, DEFLATE);
            put16(out, 0);
            put16(out, DOS_DATE_1980_01_01);
            put32(out, e.crc);
            put32(out, e.compressed);
            put32(out, e.size);
            put16(out, e.name.len() as u16);
            put16(out, 0); // extra
            put16(out, 0); // comment
            put16(out, 0); // disk
            put16(out, 0); // internal attributes
            put32(out, 0); // external attributes
            put32(out, e.offset);
            out.extend_from_slice(e.name.as_bytes());
        }
        let size = u32::try_from(out.len() - start).map_err(|_| too_large("the archive"))?;
        let start = u32::try_from(start).map_err(|_| too_large("the archive"))?;
        let count = u16::try_from(self.entries.len())
            .map_err(|_| RecordsError::TooLarge("more than 65535 zip entries".into()))?;
        put32(out, END_OF_CENTRAL);
        put16(out, 0);
        put16(out, 0);
        put16(out, count);
        put16(out, count);
        put32(out, size);
        put32(out, start);
        put16(out, 0); // comment length
        Ok(self.out)
    }
}
