//! `payroll_YYYY-MM.csv` (SPEC §5 item 6): UTF-8 with BOM, RFC 4180, one row per active manager
//! in report order, amounts with exactly `rounding.scale` decimals; the header is
//! [`Column::payroll`], derived from the one list of components.

use std::io::Write;

use super::row::{value, Value};
use super::ReportCtx;
use crate::model::Column;

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
    let columns = Column::payroll();
    w.write_record(columns.iter().map(|c| c.key()))?;
    let r = ctx.rounding();
    let mut rec: Vec<String> = Vec::with_capacity(columns.len());
    for m in &ctx.month.managers {
        rec.clear();
        for col in &columns {
            rec.push(match value(m, *col, r, &m.level, m.person.employment.code()) {
                Value::Text(t) => formula_safe(t),
                Value::Money(v) => r.format(v),
                Value::Count(n) => n.to_string(),
            });
        }
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
