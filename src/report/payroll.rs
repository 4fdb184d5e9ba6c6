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
            m.person.manager_id.clone(),
            m.person.name.clone(),
            m.person.team.clone(),
            m.person.group.clone().unwrap_or_default(),
            m.level.clone(),
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
