//! 手工调整: one manual bonus or deduction (SPEC §2 adjustments); several rows per manager are
//! summed.

use rust_decimal::Decimal;

use crate::ingest::rows::RowParse;
use crate::model::fields::adjustments as J;

#[derive(Debug, Clone)]
pub struct AdjustmentRow {
    pub file: u16,
    pub row: u32,
    pub accepted: bool,
    pub manager_id: String,
    pub amount: Decimal,
    pub category: String,
    pub reason: String,
}

crate::checked_by_flag!(AdjustmentRow, |r| Some(r.manager_id.as_str()));

/// Parse one adjustment row.
pub fn parse(p: &mut RowParse<'_, '_>, file: u16, row: u32) -> AdjustmentRow {
    let manager_id = p.req_text(J::MANAGER_ID);
    let amount = p.req_money(J::AMOUNT);
    let category = p.text(J::CATEGORY).unwrap_or_default();
    let reason = p.text(J::REASON).unwrap_or_default();
    AdjustmentRow {
        file,
        row,
        accepted: p.ok,
        manager_id: manager_id.unwrap_or_default(),
        amount: amount.unwrap_or_default(),
        category,
        reason,
    }
}
