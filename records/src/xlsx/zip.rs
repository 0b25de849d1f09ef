//! A minimal zip writer: deflated entries, written out in pieces.
//!
//! Small entries are added whole ([`ZipWriter::add`]): deflated first, so their local header
//! holds the CRC and sizes. A streamed entry ([`ZipWriter::start`], [`ZipWriter::write`],
//! [`ZipWriter::end`]) is deflated in chunks with `miniz_oxide`'s streaming compressor and
//! uses a data descriptor (general-purpose flag bit 3): its local header holds zeros, and the
//! CRC and sizes follow the data and are repeated in the central directory. The bytes ready
//! so far can be taken at any time ([`ZipWriter::take`]), so the writer holds the deflate
//! state and what was written since the last take, never the archive.
//!
//! No zip64: an entry or the archive beyond 4 GiB is refused. Timestamps are fixed
//! (1980-01-01 00:00) so the same input gives the same bytes.

use super::crc32::Crc32;
use crate::error::{RecordsError, Result};
use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const DATA_DESCRIPTOR: u32 = 0x0807_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL: u32 = 0x0605_4b50;
const VERSION: u16 = 20;
const DEFLATE: u16 = 8;
const DOS_DATE_1980_01_01: u16 = 0x0021;
/// Bit 11: file names are UTF-8.
const FLAG_UTF8: u16 = 0x0800;
/// Bit 3: CRC and sizes are in a data descriptor after the data.
pub(crate) const FLAG_DATA_DESCRIPTOR: u16 = 0x0008;

struct Entry {
    name: String,
    flags: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

struct Open {
    name: String,
    offset: u64,
    crc: Crc32,
    size: u64,
    compressed: u64,
    compressor: Box<CompressorOxide>,
}

/// Writes a zip archive, one entry at a time, into a buffer the caller empties with
/// [`ZipWriter::take`].
pub(crate) struct ZipWriter {
    /// Bytes written since the last take.
    out: Vec<u8>,
    /// Bytes handed out by earlier takes.
    taken: u64,
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

fn fits(n: u64, what: &str) -> Result<u32> {
    u32::try_from(n).map_err(|_| too_large(what))
}

/// A raw deflate compressor (negative window bits), default strategy.
fn compressor(level: u8) -> Box<CompressorOxide> {
    let flags = create_comp_flags_from_zip_params(i32::from(level), -15, 0);
    Box::new(CompressorOxide::new(flags))
}

/// Deflates `data` into `out`, returning the number of bytes added.
fn deflate(c: &mut CompressorOxide, data: &[u8], flush: TDEFLFlush, out: &mut Vec<u8>) -> u64 {
    let before = out.len();
    let (status, _) = compress_to_output(c, data, flush, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    debug_assert!(matches!(status, TDEFLStatus::Okay | TDEFLStatus::Done));
    (out.len() - before) as u64
}

fn local_header(out: &mut Vec<u8>, name: &str, flags: u16, crc: u32, compressed: u32, size: u32) {
    put32(out, LOCAL_HEADER);
    put16(out, VERSION);
    put16(out, flags);
    put16(out, DEFLATE);
    put16(out, 0); // time 00:00
    put16(out, DOS_DATE_1980_01_01);
    put32(out, crc);
    put32(out, compressed);
    put32(out, size);
    put16(out, name.len() as u16);
    put16(out, 0); // extra length
    out.extend_from_slice(name.as_bytes());
}

impl ZipWriter {
    /// A writer compressing at `level` (0–10; 6 is zlib's default).
    pub(crate) fn new(level: u8) -> Self {
        ZipWriter {
            out: Vec::new(),
            taken: 0,
            entries: Vec::new(),
            open: None,
            level: level.min(10),
        }
    }

    /// The archive's length so far (taken or not).
    fn position(&self) -> u64 {
        self.taken + self.out.len() as u64
    }

    /// The bytes written since the last take.
    pub(crate) fn take(&mut self) -> Vec<u8> {
        let out = std::mem::take(&mut self.out);
        self.taken += out.len() as u64;
        out
    }

    /// Bytes held until the next take.
    pub(crate) fn held_bytes(&self) -> usize {
        self.out.capacity()
    }

    /// Starts a streamed entry (with a data descriptor), ending the open one if any.
    pub(crate) fn start(&mut self, name: &str) -> Result<()> {
        self.end()?;
        let offset = self.position();
        fits(offset, "the archive")?;
        let flags = FLAG_UTF8 | FLAG_DATA_DESCRIPTOR;
        local_header(&mut self.out, name, flags, 0, 0, 0);
        self.open = Some(Open {
            name: name.to_string(),
            offset,
            crc: Crc32::new(),
            size: 0,
            compressed: 0,
            compressor: compressor(self.level),
        });
        Ok(())
    }

    /// Appends bytes to the open entry.
    pub(crate) fn write(&mut self, data: &[u8]) {
        let Some(open) = self.open.as_mut() else {
            debug_assert!(false, "write without an open zip entry");
            return;
        };
        open.crc.update(data);
        open.size += data.len() as u64;
        open.compressed += deflate(&mut open.compressor, data, TDEFLFlush::None, &mut self.out);
    }

    /// Ends the open entry, if any, with its data descriptor.
    pub(crate) fn end(&mut self) -> Result<()> {
        let Some(mut open) = self.open.take() else {
            return Ok(());
        };
        open.compressed += deflate(&mut open.compressor, &[], TDEFLFlush::Finish, &mut self.out);
        let compressed = fits(open.compressed, &open.name)?;
        let size = fits(open.size, &open.name)?;
        let crc = open.crc.finish();
        put32(&mut self.out, DATA_DESCRIPTOR);
        put32(&mut self.out, crc);
        put32(&mut self.out, compressed);
        put32(&mut self.out, size);
        self.entries.push(Entry {
            name: open.name,
            flags: FLAG_UTF8 | FLAG_DATA_DESCRIPTOR,
            crc,
            compressed,
            size,
            offset: fits(open.offset, "the archive")?,
        });
        Ok(())
    }

    /// Adds a whole entry (ending the open one, if any); its local header holds its CRC and
    /// sizes.
    pub(crate) fn add(&mut self, name: &str, data: &[u8]) -> Result<()> {
        self.end()?;
        let offset = fits(self.position(), "the archive")?;
        let mut crc = Crc32::new();
        crc.update(data);
        let crc = crc.finish();
        let mut deflated = Vec::new();
        deflate(
            &mut compressor(self.level),
            data,
            TDEFLFlush::Finish,
            &mut deflated,
        );
        let compressed = fits(deflated.len() as u64, name)?;
        let size = fits(data.len() as u64, name)?;
        local_header(&mut self.out, name, FLAG_UTF8, crc, compressed, size);
        self.out.extend_from_slice(&deflated);
        self.entries.push(Entry {
            name: name.to_string(),
            flags: FLAG_UTF8,
            crc,
            compressed,
            size,
            offset,
        });
        Ok(())
    }

    /// Ends the open entry, writes the central directory and returns the bytes not taken
    /// yet: the whole archive when nothing was taken.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>> {
        self.end()?;
        let start = self.position();
        let out = &mut self.out;
        let before = out.len();
        for e in &self.entries {
            put32(out, CENTRAL_HEADER);
            put16(out, VERSION); // made by
            put16(out, VERSION); // needed
            put16(out, e.flags);
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
        let size = fits((out.len() - before) as u64, "the archive")?;
        let start = fits(start, "the archive")?;
        fits(start as u64 + size as u64, "the archive")?;
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
