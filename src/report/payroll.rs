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
        let mut rec: Vec<String> = vec![
            m.manager_id.clone(),
            m.name.clone(),
            m.team.clone(),
            m.group.clone().unwrap_or_default(),
            m.level.clone(),
            m.employment.code().to_string(),
            r.format(m.net_commission),
            r.format(m.other_revenue),
            r.format(m.net_revenue()),
            r.format(m.net_inflow),
            r.format(m.month_end_assets),
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
