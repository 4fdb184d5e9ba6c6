//! The performance floor of a month (issue "Performance at head-office scale"): the time to
//! merely read that month's input files with calamine, plus the time to write a 1,000,000-row
//! sheet as wide as the business detail with rust_xlsxwriter in constant memory.
//!
//!     cargo run --release --example floor -- <data>/<YYYY-MM> [rows]
//!
//! It does no parsing, checking, computing or formatting beyond what the libraries need.

use std::time::Instant;

use calamine::{open_workbook, DataType, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: floor <month folder> [rows]");
    let rows: u32 = args.next().map(|r| r.parse().expect("rows")).unwrap_or(1_000_000);

    let t0 = Instant::now();
    let mut cells = 0u64;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("month folder").map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.extension().is_some_and(|x| x == "xlsx")) {
        let mut wb: Xlsx<_> = open_workbook(path).expect("xlsx");
        let name = wb.sheet_names()[0].clone();
        let mut reader = wb.worksheet_cells_reader(&name).expect("sheet");
        while let Some(cell) = reader.next_cell().expect("cell") {
            if !cell.get_value().is_empty() {
                cells += 1;
            }
        }
    }
    let read = t0.elapsed();

    let t1 = Instant::now();
    let path = std::env::temp_dir().join(format!("brokercomp-floor-{}.xlsx", std::process::id()));
    let mut wb = Workbook::new();
    let money = Format::new().set_num_format("#,##0.00");
    let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
    let ids: Vec<String> = (0..5000).map(|i| format!("8{i:05}")).collect();
    let mut client = String::new();
    for r in 0..rows {
        client.clear();
        client.push_str("3100");
        client.push_str(&r.to_string());
        let m = &ids[(r % 5000) as usize];
        ws.write_string(r, 0, m).unwrap();
        ws.write_string(r, 1, "王芳").unwrap();
        ws.write_string(r, 2, "天琪团队").unwrap();
        ws.write_string(r, 3, &client).unwrap();
        ws.write_string(r, 4, "李强").unwrap();
        ws.write_string(r, 5, "开发").unwrap();
        ws.write_number(r, 6, 0.7).unwrap();
        for c in 7..16u16 {
            ws.write_number_with_format(r, c, f64::from(r % 100_000) * 1.25 + f64::from(c), &money).unwrap();
        }
    }
    wb.save(&path).expect("save");
    let write = t1.elapsed();
    let _ = std::fs::remove_file(&path);
    println!(
        "floor: read {cells} cells in {:.2}s; wrote {rows} rows × 16 columns in {:.2}s; total {:.2}s",
        read.as_secs_f64(),
        write.as_secs_f64(),
        (read + write).as_secs_f64()
    );
}
