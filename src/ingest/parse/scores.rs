//! 职责考核: one manager's duty score, 0–100 (SPEC §2 scores); a second row for the same
//! manager is a duplicate.

use rust_decimal::Decimal;

use crate::ingest::rows::RowParse;
use crate::model::fields::scores as S;
use crate::model::{Problem, Reason};

#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub file: u16,
    pub row: u32,
    pub accepted: bool,
    pub manager_id: String,
    pub score: Decimal,
}

crate::checked_by_flag!(ScoreRow, |r| Some(r.manager_id.as_str()));

/// Parse one score row; a score outside 0–100 rejects it.
pub fn parse(p: &mut RowParse<'_, '_>, file: u16, row: u32) -> ScoreRow {
    let manager_id = p.req_text(S::MANAGER_ID);
    let score = p.req_money(S::DUTY_SCORE);
    if let Some(s) = score {
        if s < Decimal::ZERO || s > Decimal::ONE_HUNDRED {
            p.fail(S::DUTY_SCORE, Reason::Cell(Problem::DutyScoreRange));
        }
    }
    ScoreRow { file, row, accepted: p.ok, manager_id: manager_id.unwrap_or_default(), score: score.unwrap_or_default() }
}
