//! Ingestion features of SPEC §2: several files of a kind, header search, aliases, units, sheets.

mod common;
use common::*;

#[test]
fn several_files_of_a_kind_are_concatenated_in_name_order() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    std::fs::remove_file(ws.data().join("2026-10/crm.csv")).unwrap();
    ws.csv(
        "2026-10",
        "crm_b_outlet2.csv",
        CRM_HEADER,
        &[
            "C003,客户三,B01,开发,1,50000,50000,20000,4000000,3000,200",
            "C004,客户四,B02,开发,1,80000,80000,0,2000000,1000,0",
            "C005,客户五,A03,开发,1,30000,30000,30000,0,0,0",
        ],
    );
    ws.csv(
        "2026-10",
        "crm_a_outlet1.csv",
        CRM_HEADER,
        &[
            "C001,客户一,A01,开发,70%,500000,480000,100000,40000000,20000,1000",
            "C001,客户一,A02,服务,30%,500000,480000,100000,40000000,20000,1000",
            "C002,客户二,A02,开发,100%,200000,190000,-5000,10000000,45000,0",
            "C003,客户三,B01,开发,1,50000,50000,20000,4000000,3000,200",
        ],
    );
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The copy in the later file (by name) is the duplicate.
    assert!(stderr(&out).contains("2026-10/crm_b_outlet2.csv:2:客户号: duplicate"), "{}", stderr(&out));
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    let total: f64 = rows[1..].iter().map(|r| r[24].parse::<f64>().unwrap()).sum();
    assert_eq!(format!("{total:.2}"), "30737.50", "the same pay as the month in one file");
}

#[test]
fn the_header_must_be_within_the_first_20_rows() {
    let ws = Workspace::new();
    standard_month(&ws, "2026-10");
    let mut text = String::new();
    for i in 0..20 {
        text.push_str(&format!("说明第{i}行\n"));
    }
    text.push_str(CRM_HEADER);
    text.push_str("\nC001,客户一,A01,开发,1,1,1,1,1,1,1\n");
    ws.file("2026-10", "crm.csv", text);
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("crm.csv: no column for client_id"), "{}", stderr(&out));
    assert!(stderr(&out).contains("within the first 20 rows"));
}

#[test]
fn headers_are_normalised_extra_aliases_apply_and_wan_yuan_is_multiplied() {
    let ws = Workspace::with_config_extra("[inputs.crm.columns]\nnet_commission = [\"净佣金收入\"]\n");
    standard_month(&ws, "2026-10");
    ws.file(
        "2026-10",
        "crm.csv",
        "客户业绩明细（单位见表头）\n\
         \u{3000}客户号 ,\"客户\n姓名\",\"客户经理\n编号\",分配比例,月末资产(万元),资金净流入（元）,\"净佣金收入\",其他净收入\n\
         C001,客户一,A01,100%,50,100000,20000,0\n",
    );
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    let a01 = rows.iter().find(|r| r[0] == "A01").unwrap();
    assert_eq!(a01[6], "20000.00", "净佣金收入 is an extra alias of net_commission");
    assert_eq!(a01[10], "500000.00", "50 万元 is 500,000 yuan");
}

#[test]
fn the_configured_sheet_is_read() {
    let ws = Workspace::with_config_extra("[inputs.crm]\nsheet = \"明细\"\n");
    standard_month(&ws, "2026-10");
    std::fs::remove_file(ws.data().join("2026-10/crm.csv")).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("汇总").unwrap().write_string(0, 0, "合计").unwrap();
    let s = wb.add_worksheet().set_name("明细").unwrap();
    for (c, h) in CRM_HEADER.split(',').enumerate() {
        s.write_string(0, c as u16, h).unwrap();
    }
    // IDs stored as numbers come back without ".0"; shares as a percentage format.
    s.write_number(1, 0, 1001.0).unwrap();
    s.write_string(1, 2, "A01").unwrap();
    s.write_number(1, 4, 1.0).unwrap();
    for (c, v) in [(5u16, 500000.0), (6, 480000.0), (7, 100000.0), (8, 0.0), (9, 12345.675), (10, 0.0)] {
        s.write_number(1, c, v).unwrap();
    }
    wb.save(ws.data().join("2026-10/crm.xlsx")).unwrap();
    let out = ws.run(&["run", "--month", "2026-10"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let rows = payroll(&ws.reports("2026-10").join("payroll_2026-10.csv"));
    assert_eq!(rows.iter().find(|r| r[0] == "A01").unwrap()[6], "12345.68");
    let detail = sheet(&ws.reports("2026-10").join("业务明细_2026-10.xlsx"), 0);
    assert!(detail.iter().any(|r| r.len() > 3 && text(&r[3]) == "1001"), "client 1001 written as text without .0");
}
