//! Fuzzing the readers (proptest): arbitrary bytes, workbooks generated here, and arbitrary
//! mutations of both and of real files written by other programs (LibreOffice's xlsx, ods and xls,
//! a CSV), in the debug profile (integer overflow panics there), with this process's address space
//! limited to 4 GiB (inherited by the reader processes it starts).
//!
//! The properties prove two different things, and the names say which:
//!
//! - **Through the reader process** (`source::read_rows` or the whole of ingestion, with
//!   `ingest::isolate` enabled, as the binary reads): calamine parses each workbook in a child
//!   process, and a child that panics, aborts or runs out of memory becomes a file-level error
//!   naming the file. These prove that *this* process — the protocol, sniffing, the text reader,
//!   the table, the row parsers and the rules — never panics on what a reader gives, and that
//!   every refusal names the file. They do **not** prove that calamine never panics: a crash of
//!   the reader process passes as a file error, which is what the binary does too, and a hang of
//!   calamine there lasts until the reader's CPU limit (600 s).
//! - **In process** (`ingest::workbook::read` called directly, as the reader process calls it,
//!   under `catch_unwind`): a panic in calamine or in our workbook code fails the property with
//!   the input that caused it, and an abort (an allocation failure, a stack overflow) ends this
//!   test binary, which fails the run. These are the properties that prove "no panic, no abort"
//!   for workbooks; a read that gives no answer in 30 s fails them too. Stated exceptions, the
//!   bugs of calamine 0.38.0 these properties found: the panics in `KNOWN_CALAMINE_PANICS`
//!   (damaged .xls files, and xlsx cell references too long for u32; tolerated by their container
//!   and exact source line) and the hang in `KNOWN_CALAMINE_HANGS` (an ods table cut between two
//!   rows; refused before calamine reads it since 2026-12-06, tolerated here by the input's shape).
//!   `known_calamine_panics_still_happen_and_the_binary_refuses_the_file` and
//!   `known_calamine_hangs_are_refused_before_calamine_reads_them` pin each one with the exact input
//!   that causes it.
//!   Any other panic or hang fails. xlsb is not covered (no file to start from).
//!
//! Text (CSV, TSV, HTML) is always read in process.
//!
//! 48 cases per property by default (the file runs in seconds); a long run:
//! `PROPTEST_CASES=20000 cargo test --test fuzz`.

mod common;
use common::*;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use brokercomp::calendar::YearMonth;
use brokercomp::config::{Config, StandardSet};
use brokercomp::ingest::cells::MAX_COLS;
use brokercomp::ingest::workbook::{self, Container};
use brokercomp::ingest::FileError;
use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use proptest::prelude::*;

/// Limit this process's address space (inherited by the reader processes it starts), read
/// workbooks through reader processes of the built binary, and note where each panic happens (in
/// [`PANIC_AT`], for [`read_in_process`]).
fn setup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info.location().map(|l| (l.file().to_string(), l.line()));
            PANIC_AT.with(|p| *p.borrow_mut() = at);
            report(info);
        }));
        #[cfg(unix)]
        // SAFETY: setrlimit reads the struct passed by reference; lowering a limit of this test
        // process cannot affect memory safety.
        unsafe {
            let limit = 4u64 << 30;
            let r = libc::rlimit { rlim_cur: limit as libc::rlim_t, rlim_max: limit as libc::rlim_t };
            libc::setrlimit(libc::RLIMIT_AS, &r);
        }
        brokercomp::ingest::isolate::enable(PathBuf::from(env!("CARGO_BIN_EXE_brokercomp")));
    });
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures").join(rel)).unwrap()
}

/// One mutation of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that mean something to the formats: quotes, separators, line ends, XML and digits.
    let interesting = prop_oneof![
        Just(b'"'),
        Just(b','),
        Just(b'\r'),
        Just(b'\n'),
        Just(b'<'),
        Just(b'>'),
        Just(b'9'),
        Just(b'e'),
        Just(b'-'),
        Just(0u8),
        any::<u8>()
    ];
    prop_oneof![
        (any::<usize>(), interesting.clone()).prop_map(|(a, b)| Mutation::Set(a, b)),
        (any::<usize>(), proptest::collection::vec(interesting, 1..12)).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (any::<usize>(), 1usize..64).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 1usize..256).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let at = |a: usize, b: &Vec<u8>| a % b.len();
    match m {
        Mutation::Set(a, v) => {
            let i = at(*a, bytes);
            bytes[i] = *v;
        }
        Mutation::Insert(a, v) => {
            let i = at(*a, bytes);
            bytes.splice(i..i, v.iter().copied());
        }
        Mutation::Delete(a, n) => {
            let i = at(*a, bytes);
            let j = (i + n).min(bytes.len());
            bytes.drain(i..j);
        }
        Mutation::Duplicate(a, n) => {
            let i = at(*a, bytes);
            let j = (i + n).min(bytes.len());
            let part = bytes[i..j].to_vec();
            bytes.splice(j..j, part);
        }
        Mutation::Truncate(a) => {
            let i = at(*a, bytes);
            bytes.truncate(i);
        }
    }
}

/// Mutate one part of a zip (a workbook) and zip it again with correct checksums, so that the
/// mutation reaches the XML parser instead of stopping at the zip's checksum.
fn mutate_inside_zip(original: &[u8], part_pick: usize, ms: &[Mutation]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let names = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().to_string());
    let xml: Vec<String> = names.filter(|n| n.ends_with(".xml")).collect();
    let target = &xml[part_pick % xml.len()];
    replace_zip_part(original, target, |data| {
        for m in ms {
            apply(data, m);
        }
    })
}

/// The bytes of part `name` of a zip, if it has one.
fn zip_part(zip: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip)).ok()?;
    let mut part = zip.by_name(name).ok()?;
    let mut data = Vec::new();
    part.read_to_end(&mut data).ok()?;
    Some(data)
}

/// The zip `original` with part `name` changed by `change` (every part stored).
fn replace_zip_part(original: &[u8], name: &str, change: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let part_name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if part_name == name {
            change(&mut data);
        }
        out.start_file(part_name.as_str(), options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Read `bytes` as a file named `name` with the real reader; check what it gives.
fn read(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    use brokercomp::ingest::source::read_rows;
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut last = 0u32;
    let mut rows = 0usize;
    let r = read_rows(&path, name, None, &mut |row| {
        assert!(row.number > last || rows == 0, "rows come in order");
        assert!(row.cells.len() <= MAX_COLS);
        last = row.number;
        rows += 1;
        true
    });
    if let Err(e) = r {
        prop_assert_eq!(e.file.as_str(), name, "a file-level error names the file");
        prop_assert!(!e.message.is_empty());
    }
    Ok(())
}

/// Ingest and compute a month whose crm file is `bytes`: never a panic; a file-level error or a
/// result whose every manager's total is the sum of its components.
fn whole_month(crm_name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    std::fs::remove_file(ws.data().join("2026-10/crm.csv")).unwrap();
    ws.file("2026-10", crm_name, bytes);
    let cfg = Config::load(&ws.config()).unwrap();
    let standards = StandardSet::load(&cfg.standards_dir).unwrap();
    let month = YearMonth::parse("2026-10").unwrap();
    let standard = standards.for_month(month, &cfg.standards_dir).unwrap();
    match brokercomp::ingest::ingest_month(&cfg, &ws.data(), month, &Default::default()) {
        Err(e) => prop_assert!(e.file.contains(crm_name), "{e}"),
        Ok(input) => {
            let result = brokercomp::compute::compute_month(&cfg, standard, input, &Default::default()).unwrap();
            for m in &result.managers {
                prop_assert_eq!(m.total, m.components.total());
            }
            for f in &result.files {
                prop_assert_eq!(f.counts.rows_read, f.accepted + f.rejected + f.counts.blank + f.counts.summary);
            }
        }
    }
    Ok(())
}

/// The rows a workbook reader gave: (row number, cells).
type Rows = Vec<(u32, Vec<Data>)>;

thread_local! {
    /// Where the last panic of this thread happened: (source file, line).
    static PANIC_AT: std::cell::RefCell<Option<(String, u32)>> = const { std::cell::RefCell::new(None) };
}

/// A panic of calamine found by these properties and not yet fixed upstream: the container it
/// happens in, the source file (with calamine's version, so that an upgrade drops the entry) and
/// line, and the exact input that causes it, made from LibreOffice's crm.xls or a workbook written
/// here. The binary contains them (the reader process dies, the file is refused);
/// `known_calamine_panics_still_happen_and_the_binary_refuses_the_file` pins each one.
#[derive(Debug)]
struct KnownPanic {
    container: Container,
    file: &'static str,
    line: u32,
    input: &'static str,
    make: fn() -> Vec<u8>,
}

/// LibreOffice's crm.xls.
fn xls() -> Vec<u8> {
    fixture("formats/libreoffice-xls/2026-10/crm.xls")
}

static KNOWN_CALAMINE_PANICS: [KnownPanic; 8] = [
    // `Sectors::get` slices `data[start..len]` when the file ends inside a sector:
    // "slice index starts at 5632 but ends at 5402".
    KnownPanic {
        container: Container::Ole,
        file: "calamine-0.38.0/src/cfb.rs",
        line: 320,
        input: "crm.xls cut to 5632 bytes (so is any length in 5632..6144)",
        make: || xls()[..5632].to_vec(),
    },
    // `to_u32` asserts that a FAT sector read is a whole number of u32, which a file cut inside
    // its FAT is not: "assertion `left == right` failed".
    KnownPanic {
        container: Container::Ole,
        file: "calamine-0.38.0/src/utils.rs",
        line: 29,
        input: "crm.xls cut to 513 bytes (so is any length in 513..1024 not a multiple of 4)",
        make: || xls()[..513].to_vec(),
    },
    // `Sectors::get_chain` follows a sector id into an empty FAT: "index out of bounds: the len
    // is 0 but the index is 2".
    KnownPanic {
        container: Container::Ole,
        file: "calamine-0.38.0/src/cfb.rs",
        line: 344,
        input: "crm.xls cut to 2884 bytes, then 8 bytes '\"' inserted at 524, then 12 bytes deleted at 33",
        make: || {
            let mut x = xls();
            x.truncate(2884);
            x.splice(524..524, [b'"'; 8]);
            x.drain(33..45);
            x
        },
    },
    // `parse_mul_rks` computes `col_last - col_first` in u16 before checking the record's
    // length: "attempt to subtract with overflow". Debug builds only (a release build wraps and
    // then refuses the record).
    KnownPanic {
        container: Container::Ole,
        file: "calamine-0.38.0/src/xls.rs",
        line: 987,
        input: "crm.xls with the length of its MULRK record at byte 4751 changed from 48 to 62",
        make: || {
            let mut x = xls();
            assert_eq!(x[4751..4755], [0xBD, 0x00, 48, 0x00], "a MULRK record of 48 bytes");
            x[4753] = 62;
            x
        },
    },
    // `xls::read_rich_extended_string` (xls.rs:1260) reads the phonetic-data size of a shared
    // string whose option flags claim rich text and phonetic data past the end of the record:
    // "range end index 4 out of range for slice of length 2".
    KnownPanic {
        container: Container::Ole,
        file: "calamine-0.38.0/src/utils.rs",
        line: 43,
        input: "crm.xls with the option flags of its shared string 合计 (byte 3550) changed from 0x01 to 0x3C",
        make: || {
            let mut x = xls();
            assert_eq!(x[3548..3555], [0x02, 0x00, 0x01, 0x08, 0x54, 0xA1, 0x8B], "合计, two UTF-16 characters");
            x[3550] = 0x3C;
            x
        },
    },
    // `xlsx::get_row_and_optional_column` accumulates a cell reference's column letters and row
    // digits in u32 without a bound: "attempt to multiply with overflow" (tafia/calamine#709),
    // at one line for capitals, one for small letters and one for digits. Debug builds only: a
    // release build wraps and puts the cell in a wrong place, silently.
    KnownPanic {
        container: Container::Zip,
        file: "calamine-0.38.0/src/xlsx/mod.rs",
        line: 3096,
        input: "an xlsx written here whose one cell's reference A1 is changed to AAAAAAAA1",
        make: || xlsx_with_reference("AAAAAAAA1"),
    },
    KnownPanic {
        container: Container::Zip,
        file: "calamine-0.38.0/src/xlsx/mod.rs",
        line: 3097,
        input: "an xlsx written here whose one cell's reference A1 is changed to aaaaaaaa1",
        make: || xlsx_with_reference("aaaaaaaa1"),
    },
    KnownPanic {
        container: Container::Zip,
        file: "calamine-0.38.0/src/xlsx/mod.rs",
        line: 3112,
        input: "an xlsx written here whose one cell's reference A1 is changed to A9999999999",
        make: || xlsx_with_reference("A9999999999"),
    },
];

/// An xlsx written here with one cell, "a", whose reference A1 is changed to `reference`.
fn xlsx_with_reference(reference: &str) -> Vec<u8> {
    let one = Book { cells: [((0, 0), Cell::Text("a".into()))].into(), hidden_first: false };
    replace_zip_part(&xlsx_of(&one), "xl/worksheets/sheet1.xml", |xml| {
        let text = String::from_utf8(xml.clone()).unwrap();
        assert!(text.contains(r#"<c r="A1""#), "{text}");
        *xml = text.replace(r#"<c r="A1""#, &format!(r#"<c r="{reference}""#)).into_bytes();
    })
}

/// A hang of calamine found by these properties and not yet fixed upstream: which inputs (by a
/// check of their content, since a hanging read cannot say where it is) and the exact input that
/// causes it, made from LibreOffice's crm.ods. The product refuses such a file before calamine
/// reads it; `known_calamine_hangs_are_refused_before_calamine_reads_them` pins each.
#[derive(Debug)]
struct KnownHang {
    what: &'static str,
    input: &'static str,
    matches: fn(Container, &[u8]) -> bool,
    make: fn(&[u8]) -> Vec<u8>,
}

static KNOWN_CALAMINE_HANGS: [KnownHang; 1] = [
    // `ods::read_table` loops until `</table:table>` and ignores `Event::Eof` (`Ok(_) => ()`): a
    // content.xml that ends between two rows of a table loops for ever.
    KnownHang {
        what: "calamine-0.38.0/src/ods.rs read_table: end of content.xml inside a table",
        input: "crm.ods with content.xml cut just after its last </table:table-row>",
        matches: |container, bytes| {
            let content = zip_part(bytes, "content.xml").unwrap_or_default();
            let has = |needle: &[u8]| content.windows(needle.len()).any(|w| w == needle);
            container == Container::Zip && has(b"<table:table ") && !has(b"</table:table>")
        },
        make: |ods| {
            replace_zip_part(ods, "content.xml", |content| {
                let end = b"</table:table-row>";
                let last = content.windows(end.len()).rposition(|w| w == end).expect("a row");
                content.truncate(last + end.len());
            })
        },
    },
];

/// What reading a workbook in process gave.
#[derive(Debug)]
enum InProcess {
    /// The sheet read, and its rows when asked for.
    Read(String, Rows),
    /// A file-level error (naming the file: checked).
    Refused(FileError),
    /// One of [`KNOWN_CALAMINE_PANICS`].
    KnownPanic(&'static KnownPanic),
    /// One of [`KNOWN_CALAMINE_HANGS`]: the reading thread is left running (it spins until this
    /// test binary ends).
    KnownHang,
}

/// How long a read in process may take: these small files read in milliseconds.
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// Read `bytes` as the workbook `name` in this process, with the function the reader process
/// runs (on a thread of its own, so that a hang is seen), and check what it gives as [`read`]
/// does. A panic fails the case with the panic's message and place, unless it is one of
/// [`KNOWN_CALAMINE_PANICS`] (in its container); no answer within [`DEADLINE`] fails it, unless the input
/// is one of [`KNOWN_CALAMINE_HANGS`]; an abort ends the test binary. `keep` keeps the rows
/// (small files only).
fn read_in_process(
    dir: &Path,
    name: &str,
    container: Container,
    bytes: &[u8],
    keep: bool,
) -> Result<InProcess, TestCaseError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let label = name.to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut rows: Rows = Vec::new();
        let mut problems: Vec<String> = Vec::new();
        PANIC_AT.with(|p| p.borrow_mut().take());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            workbook::read(&path, &label, container, None, &mut |row| {
                if row.number == 0 {
                    problems.push("a row numbered 0 (numbers are 1-based)".into());
                }
                if row.cells.len() > MAX_COLS {
                    problems.push(format!("row {}: {} cells, more than {MAX_COLS}", row.number, row.cells.len()));
                }
                if keep {
                    rows.push((row.number, row.cells.to_vec()));
                }
                true
            })
        }))
        .map_err(|panic| {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".into());
            let (file, line) = PANIC_AT.with(|p| p.borrow_mut().take()).unwrap_or_default();
            (what, file, line)
        });
        let _ = tx.send((outcome, rows, problems));
    });
    let Ok((outcome, rows, problems)) = rx.recv_timeout(DEADLINE) else {
        if let Some(known) = KNOWN_CALAMINE_HANGS.iter().find(|k| (k.matches)(container, bytes)) {
            eprintln!("{name}: known hang ({}); its thread spins until this test binary ends", known.what);
            return Ok(InProcess::KnownHang);
        }
        return Err(TestCaseError::fail(format!("reading {name} in process gave no answer in {DEADLINE:?} (a hang?)")));
    };
    let result = match outcome {
        Ok(r) => r,
        Err((what, file, line)) => {
            let known = KNOWN_CALAMINE_PANICS
                .iter()
                .find(|k| k.container == container && file.ends_with(k.file) && line == k.line);
            if let Some(known) = known {
                return Ok(InProcess::KnownPanic(known));
            }
            return Err(TestCaseError::fail(format!("reading {name} in process panicked at {file}:{line}: {what}")));
        }
    };
    prop_assert!(problems.is_empty(), "{name}: {problems:?}");
    match result {
        Ok(sheet) => Ok(InProcess::Read(sheet, rows)),
        Err(e) => {
            prop_assert_eq!(e.file.as_str(), name, "a file-level error names the file");
            prop_assert!(!e.message.is_empty());
            Ok(InProcess::Refused(e))
        }
    }
}

/// A cell of a generated workbook.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date serial (1900 system) written as a number with a date format.
    Date(u32),
}

fn cell() -> impl Strategy<Value = Cell> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        // Text a CRM export holds: CJK, digits, separators and XML's special characters.
        "[A-Za-z0-9客户经理张三号 ,.;:'\"<>&=+@#%-]{1,16}".prop_map(Cell::Text),
        (POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO).prop_map(Cell::Number),
        any::<bool>().prop_map(Cell::Bool),
        // After 1900-02-29 (a day that never was) and before the year 2200.
        (61u32..110_000).prop_map(Cell::Date),
    ]
}

/// What reading `c` back must give.
fn expected(c: &Cell) -> Data {
    match c {
        Cell::Text(t) => Data::String(t.clone()),
        Cell::Number(n) => Data::Float(*n),
        Cell::Bool(b) => Data::Bool(*b),
        Cell::Date(d) => Data::DateTime(ExcelDateTime::new(f64::from(*d), ExcelDateTimeType::DateTime, false)),
    }
}

/// A generated workbook: its cells by (0-based row, column), and whether a hidden sheet of stale
/// data comes first (the reader must skip it).
#[derive(Debug, Clone)]
struct Book {
    cells: std::collections::BTreeMap<(u32, u16), Cell>,
    hidden_first: bool,
}

fn book() -> impl Strategy<Value = Book> {
    (proptest::collection::btree_map((0u32..12, 0u16..8), cell(), 0..40), any::<bool>())
        .prop_map(|(cells, hidden_first)| Book { cells, hidden_first })
}

/// The name of the sheet that holds a generated book's cells.
const BOOK_SHEET: &str = "明细";

/// The xlsx bytes of `b`, written by rust_xlsxwriter.
fn xlsx_of(b: &Book) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    if b.hidden_first {
        let stale = wb.add_worksheet();
        stale.set_name("旧数据").unwrap();
        stale.write_string(0, 0, "stale").unwrap();
        stale.set_hidden(true);
    }
    let ws = wb.add_worksheet();
    ws.set_name(BOOK_SHEET).unwrap();
    ws.set_active(true);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (&(r, c), cell) in &b.cells {
        match cell {
            Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
            Cell::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
            Cell::Bool(v) => ws.write_boolean(r, c, *v).map(|_| ()),
            Cell::Date(d) => ws.write_number_with_format(r, c, f64::from(*d), &date).map(|_| ()),
        }
        .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Text in process, workbooks through the reader process. Arbitrary bytes with no signature
    /// prove that the text reader never panics on them; behind a zip or OLE signature they reach
    /// calamine in the reader process, so they prove only that this process survives and that a
    /// refusal names the file (see `arbitrary_bytes_as_zip_or_ole_in_process`).
    #[test]
    fn arbitrary_bytes_as_text_zip_or_ole(body in proptest::collection::vec(any::<u8>(), 0..2000), kind in 0u8..3) {
        setup();
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = match kind {
            0 => b"PK\x03\x04".to_vec(),
            1 => vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            _ => Vec::new(),
        };
        bytes.extend_from_slice(&body);
        read(dir.path(), "crm.xlsx", &bytes)?;
    }

    /// In process throughout: a mutated CSV through the text reader, the table, the row parsers,
    /// the checks, the reconciliation and the rules never panics; a refusal names the file; an
    /// accepted month foots (each manager's total is the sum of its components, each file's rows
    /// are accounted for).
    #[test]
    fn mutated_csv_through_ingestion_and_the_rules(ms in proptest::collection::vec(mutation(), 1..8)) {
        setup();
        let mut bytes = fixture("formats/csv-utf8-bom/2026-10/crm.csv");
        for m in &ms {
            apply(&mut bytes, m);
        }
        whole_month("crm.csv", &bytes)?;
    }

    /// Through the reader process: byte mutations of a real xlsx (most stop at the zip's
    /// checksums). Proves that this process survives and that a refusal names the file; a crash of
    /// calamine would pass as a file error.
    #[test]
    fn mutated_xlsx_bytes(ms in proptest::collection::vec(mutation(), 1..6)) {
        setup();
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = fixture("formats/libreoffice-xlsx/2026-10/crm.xlsx");
        for m in &ms {
            apply(&mut bytes, m);
        }
        read(dir.path(), "crm.xlsx", &bytes)?;
    }

    /// Through the reader process: whatever rows calamine makes of a real xlsx or ods with a
    /// mutated XML part (re-zipped with correct checksums), ingestion and the rules never panic on
    /// them and an accepted month foots. A crash of calamine would pass as a file error.
    #[test]
    fn mutated_xml_inside_an_xlsx_or_ods(part in any::<usize>(), ods in any::<bool>(), ms in proptest::collection::vec(mutation(), 1..6)) {
        setup();
        let original = if ods {
            fixture("formats/libreoffice-ods/2026-10/crm.ods")
        } else {
            fixture("formats/libreoffice-xlsx/2026-10/crm.xlsx")
        };
        let bytes = mutate_inside_zip(&original, part, &ms);
        whole_month(if ods { "crm.ods" } else { "crm.xlsx" }, &bytes)?;
    }

    /// Through the reader process: byte mutations of a real BIFF .xls. Proves that this process
    /// survives and that a refusal names the file; a crash of calamine would pass as a file error.
    #[test]
    fn mutated_xls(ms in proptest::collection::vec(mutation(), 1..6)) {
        setup();
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = fixture("formats/libreoffice-xls/2026-10/crm.xls");
        for m in &ms {
            apply(&mut bytes, m);
        }
        read(dir.path(), "crm.xls", &bytes)?;
    }

    /// In process: a workbook written by rust_xlsxwriter (text with CJK and XML's special
    /// characters, any finite number, booleans, dates; maybe a hidden sheet first) reads back
    /// exactly: the visible sheet, every cell at its row and column, nothing else.
    #[test]
    fn generated_xlsx_reads_back_exactly_in_process(b in book()) {
        setup();
        let dir = tempfile::tempdir().unwrap();
        let (sheet, rows) = match read_in_process(dir.path(), "crm.xlsx", Container::Zip, &xlsx_of(&b), true)? {
            InProcess::Read(sheet, rows) => (sheet, rows),
            InProcess::Refused(e) => return Err(TestCaseError::fail(format!("refused: {e}"))),
            other => return Err(TestCaseError::fail(format!("not read: {other:?}"))),
        };
        prop_assert_eq!(sheet.as_str(), BOOK_SHEET);
        let mut want: std::collections::BTreeMap<u32, Vec<Data>> = std::collections::BTreeMap::new();
        for (&(r, c), cell) in &b.cells {
            let row = want.entry(r + 1).or_default();
            let c = usize::from(c);
            if row.len() <= c {
                row.resize(c + 1, Data::Empty);
            }
            row[c] = expected(cell);
        }
        let want: Rows = want.into_iter().collect();
        prop_assert_eq!(rows, want);
    }

    /// In process: a generated xlsx with a mutated XML part (re-zipped with correct checksums)
    /// is read or refused naming the file; calamine and our code never panic or abort on it.
    #[test]
    fn generated_xlsx_mutated_inside_in_process(b in book(), part in any::<usize>(), ms in proptest::collection::vec(mutation(), 1..6)) {
        setup();
        let dir = tempfile::tempdir().unwrap();
        let bytes = mutate_inside_zip(&xlsx_of(&b), part, &ms);
        // Read, or refused naming the file: both are fine.
        read_in_process(dir.path(), "crm.xlsx", Container::Zip, &bytes, false)?;
    }

    /// In process: LibreOffice's xlsx and ods with a mutated XML part, and its BIFF .xls with
    /// mutated bytes (OLE has no checksum, so they reach the parser), are read or refused naming
    /// the file; calamine and our code never panic or abort on them, but for the
    /// `KNOWN_CALAMINE_PANICS` of an .xls.
    #[test]
    fn real_workbooks_mutated_in_process(which in 0u8..3, part in any::<usize>(), ms in proptest::collection::vec(mutation(), 1..6)) {
        setup();
        let dir = tempfile::tempdir().unwrap();
        let (name, container, bytes) = match which {
            0 => ("crm.xlsx", Container::Zip, mutate_inside_zip(&fixture("formats/libreoffice-xlsx/2026-10/crm.xlsx"), part, &ms)),
            1 => ("crm.ods", Container::Zip, mutate_inside_zip(&fixture("formats/libreoffice-ods/2026-10/crm.ods"), part, &ms)),
            _ => {
                let mut bytes = fixture("formats/libreoffice-xls/2026-10/crm.xls");
                for m in &ms {
                    apply(&mut bytes, m);
                }
                ("crm.xls", Container::Ole, bytes)
            }
        };
        // Read, or refused naming the file: both are fine.
        read_in_process(dir.path(), name, container, &bytes, false)?;
    }

    /// In process: arbitrary bytes behind a zip or OLE signature are refused naming the file
    /// (or read); calamine and our code never panic or abort on them, but for the
    /// `KNOWN_CALAMINE_PANICS` of an .xls.
    #[test]
    fn arbitrary_bytes_as_zip_or_ole_in_process(body in proptest::collection::vec(any::<u8>(), 0..2000), ole in any::<bool>()) {
        setup();
        let dir = tempfile::tempdir().unwrap();
        let (mut bytes, container) = if ole {
            (vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], Container::Ole)
        } else {
            (b"PK\x03\x04".to_vec(), Container::Zip)
        };
        bytes.extend_from_slice(&body);
        // Read, or refused naming the file: both are fine.
        read_in_process(dir.path(), if ole { "crm.xls" } else { "crm.xlsx" }, container, &bytes, false)?;
    }
}

/// The panics of calamine 0.38.0 that the in-process properties found, on the exact inputs that
/// cause them: each still happens in process (when calamine fixes one, this fails: remove it from
/// [`KNOWN_CALAMINE_PANICS`]), and the binary, reading in a reader process, refuses the file with
/// a file-level error naming it instead of stopping.
#[test]
fn known_calamine_panics_still_happen_and_the_binary_refuses_the_file() {
    use brokercomp::ingest::source::read_rows;
    setup();
    let dir = tempfile::tempdir().unwrap();
    for known in &KNOWN_CALAMINE_PANICS {
        let name = match known.container {
            Container::Ole => "crm.xls",
            Container::Zip => "crm.xlsx",
        };
        let bytes = (known.make)();
        match read_in_process(dir.path(), name, known.container, &bytes, false) {
            Ok(InProcess::KnownPanic(k)) => assert_eq!((k.file, k.line), (known.file, known.line), "{}", known.input),
            other => panic!("{} no longer panics at {}:{} ({other:?})", known.input, known.file, known.line),
        }
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let e = read_rows(&path, name, None, &mut |_| true).expect_err("refused");
        assert_eq!(e.file, name, "{}", known.input);
        assert!(e.message.contains("could not finish this file"), "{}: {e}", known.input);
    }
}

/// The hangs of calamine 0.38.0 that the in-process properties found, on the exact inputs that
/// cause them: each still hangs calamine (read here on a thread, given three seconds; when
/// calamine fixes one, this fails: remove it from [`KNOWN_CALAMINE_HANGS`] and the guard), each is
/// recognised by its `matches`, and the product refuses it before calamine reads it
/// (`check_ods_content_is_whole` in src/ingest/workbook.rs): the reader process ends at once and
/// the file is refused naming it, instead of the run stalling until the reader's CPU limit (600 s).
#[test]
fn known_calamine_hangs_are_refused_before_calamine_reads_them() {
    use brokercomp::ingest::source::read_rows;
    use calamine::Reader;
    setup();
    let ods = fixture("formats/libreoffice-ods/2026-10/crm.ods");
    let dir = tempfile::tempdir().unwrap();
    // Whether a reader process on `bytes` ends within three seconds (it is killed otherwise).
    let ends = |bytes: &[u8]| {
        let path = dir.path().join("crm.ods");
        std::fs::write(&path, bytes).unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_brokercomp"))
            .args([brokercomp::ingest::isolate::CHILD_ARG, "zip", "crm.ods", ""])
            .arg(&path)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        let mut status = None;
        while status.is_none() && start.elapsed() < std::time::Duration::from_secs(3) {
            std::thread::sleep(std::time::Duration::from_millis(20));
            status = child.try_wait().unwrap();
        }
        let _ = child.kill();
        let _ = child.wait();
        status
    };
    // calamine itself, on a thread: `true` when it answers within three seconds.
    let calamine_answers = |bytes: Vec<u8>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let wb = calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(std::io::Cursor::new(bytes));
            let _ = wb.map(|mut wb| {
                let first = wb.sheet_names().first().cloned().unwrap_or_default();
                wb.worksheet_range(&first).map(|r| r.height())
            });
            let _ = tx.send(());
        });
        rx.recv_timeout(std::time::Duration::from_secs(3)).is_ok()
    };
    assert!(ends(&ods).is_some_and(|s| s.success()), "the intact file is read at once");
    assert!(calamine_answers(ods.clone()), "calamine reads the intact file at once");
    assert!(!(KNOWN_CALAMINE_HANGS[0].matches)(Container::Zip, &ods));
    for known in &KNOWN_CALAMINE_HANGS {
        let bytes = (known.make)(&ods);
        assert!((known.matches)(Container::Zip, &bytes), "{}", known.input);
        assert!(
            !calamine_answers(bytes.clone()),
            "{} no longer hangs calamine ({}): drop the guard",
            known.input,
            known.what
        );
        let status = ends(&bytes);
        assert!(status.is_some(), "{}: the reader process should refuse it at once, not spin", known.input);
        let path = dir.path().join("crm.ods");
        std::fs::write(&path, &bytes).unwrap();
        let e = read_rows(&path, "crm.ods", None, &mut |_| true).expect_err("refused");
        assert_eq!(e.file, "crm.ods", "{}", known.input);
        assert!(e.message.contains("cut short"), "{}: {e}", known.input);
    }
}
