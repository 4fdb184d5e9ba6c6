//! Fuzzing the readers (proptest): arbitrary bytes, and arbitrary mutations of real files written
//! by other programs (LibreOffice's xlsx, ods and xls, a CSV), fed to the readers and to the
//! whole of ingestion and the rules, in the debug profile (integer overflow panics there).
//!
//! What must hold: no panic, no abort, bounded memory — the whole test process (and the reader
//! processes it starts) runs with its address space limited to 4 GiB — and every refusal is a
//! file-level error naming the file. Workbooks are read as the binary reads them: in a reader
//! process (`ingest::isolate`).
//!
//! 48 cases per property by default; a long run: `PROPTEST_CASES=20000 cargo test --test fuzz`.

mod common;
use common::*;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use brokercomp::calendar::YearMonth;
use brokercomp::config::{Config, StandardSet};
use proptest::prelude::*;

/// Limit this process's address space (inherited by the reader processes it starts), and read
/// workbooks through reader processes of the built binary.
fn setup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
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
    let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().to_string()).collect();
    let xml: Vec<usize> = (0..names.len()).filter(|&i| names[i].ends_with(".xml")).collect();
    let target = xml[part_pick % xml.len()];
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (i, name) in names.iter().enumerate() {
        let mut data = Vec::new();
        zip.by_index(i).unwrap().read_to_end(&mut data).unwrap();
        if i == target {
            for m in ms {
                apply(&mut data, m);
            }
        }
        out.start_file(name.as_str(), options).unwrap();
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
        assert!(row.cells.len() <= brokercomp::ingest::cells::MAX_COLS);
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

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

    #[test]
    fn mutated_csv_through_ingestion_and_the_rules(ms in proptest::collection::vec(mutation(), 1..8)) {
        setup();
        let mut bytes = fixture("formats/csv-utf8-bom/2026-10/crm.csv");
        for m in &ms {
            apply(&mut bytes, m);
        }
        whole_month("crm.csv", &bytes)?;
    }

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
}
