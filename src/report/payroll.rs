//! `payroll_YYYY-MM.csv` (SPEC §5 item 6): UTF-8 with BOM, RFC 4180, one row per active manager
//! in report order, amounts with exactly `rounding.scale` decimals.

use std::io::Write;

use super::ReportCtx;

/// The header, always English.
pub const HEADER: [&str; 23] = [
    "manager_id",
    "name",
    "team",
    "group",
    "level",
    "employment",
    "net_commission",
    "other_revenue",
    "net_revenue",
    "net_inflow",
    "month_end_assets",
    "new_accounts",
    "valid_accounts",
    "base_salary",
    "minimum_penalty",
    "net_commission_pay",
    "other_revenue_pay",
    "account_bonus",
    "asset_bonus",
    "leader_override",
    "cap_deduction",
    "adjustments",
    "total",
];

/// A text field as a spreadsheet may open it safely: one that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`, so that it is never run as a formula (SPEC §5
/// item 6).
pub fn formula_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Write the CSV.
///
/// # Errors
/// Any I/O error of `out`.
pub fn write(out: &mut dyn Write, ctx: &ReportCtx<'_>) -> std::io::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(HEADER)?;
    let r = ctx.standard.rounding;
    for m in &ctx.result.managers {
        let x = m.metrics(r);
        let mut rec: Vec<String> = vec![
            formula_safe(&m.person.manager_id),
            formula_safe(&m.person.name),
            formula_safe(&m.person.team),
            formula_safe(m.person.group.as_deref().unwrap_or_default()),
            formula_safe(&m.level),
            m.person.employment.code().to_string(),
            r.format(x.net_commission),
            r.format(x.other_revenue),
            r.format(x.net_revenue),
            r.format(x.net_inflow),
            r.format(x.month_end_assets),
            m.new_accounts.to_string(),
            m.valid_accounts.to_string(),
        ];
        rec.extend(m.components.iter().map(|v| r.format(*v)));
        rec.push(r.format(m.total));
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::formula_safe;

    #[test]
    fn text_that_a_spreadsheet_would_run_gets_a_quote() {
        for t in ["=1+2", "+86 1380", "-3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(formula_safe(t), format!("'{t}"));
        }
        for t in ["王伟", "8001", "一组", "a=b", ""] {
            assert_eq!(formula_safe(t), t);
        }
    }
}
