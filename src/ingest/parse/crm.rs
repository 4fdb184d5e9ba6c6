//! 客户业绩明细: one client–manager relationship of the month (SPEC §2 crm).

use rust_decimal::Decimal;

use crate::ingest::rows::RowParse;
use crate::model::fields::crm as C;
use crate::model::{Problem, Reason, Relation};

/// A crm row. Client-level values are kept even on rejected rows (for the reconciliation).
#[derive(Debug, Clone)]
pub struct CrmRow {
    pub file: u16,
    pub row: u32,
    pub accepted: bool,
    pub client_id: Option<String>,
    pub client_name: String,
    pub manager_id: Option<String>,
    pub relation: Option<Relation>,
    /// `None` when the cell cannot be read (the row is rejected); an empty cell is 100%.
    pub share: Option<Decimal>,
    pub month_end_assets: Option<Decimal>,
    pub avg_daily_assets: Option<Decimal>,
    pub net_inflow: Option<Decimal>,
    pub trade_volume: Option<Decimal>,
    pub net_commission: Option<Decimal>,
    pub other_revenue: Option<Decimal>,
}

crate::checked_by_flag!(CrmRow, |r| r.manager_id.as_deref());

/// Parse one crm row.
pub fn parse(p: &mut RowParse<'_, '_>, file: u16, row: u32) -> CrmRow {
    let client_id = p.req_text(C::CLIENT_ID);
    let client_name = p.text(C::CLIENT_NAME).unwrap_or_default();
    let manager_id = p.req_text(C::MANAGER_ID);
    let relation = match p.text(C::RELATION) {
        None => None,
        Some(t) => match t.to_lowercase().as_str() {
            x if x.starts_with("开发") || x.starts_with("develop") => Some(Relation::Development),
            x if x.starts_with("服务") || x.starts_with("service") => Some(Relation::Service),
            _ => {
                p.fail(C::RELATION, Reason::Cell(Problem::NotRelation));
                None
            }
        },
    };
    let share = if p.is_empty(C::SHARE) { Some(Decimal::ONE) } else { p.ratio(C::SHARE) };
    let month_end_assets = p.req_money(C::MONTH_END_ASSETS);
    let avg_daily_assets = p.money(C::AVG_DAILY_ASSETS);
    let net_inflow = p.req_money(C::NET_INFLOW);
    let trade_volume = p.money(C::TRADE_VOLUME);
    let net_commission = p.req_money(C::NET_COMMISSION);
    let other_revenue = if p.is_empty(C::OTHER_REVENUE) { Some(Decimal::ZERO) } else { p.money(C::OTHER_REVENUE) };
    CrmRow {
        file,
        row,
        accepted: p.ok,
        client_id,
        client_name,
        manager_id,
        relation,
        share,
        month_end_assets,
        avg_daily_assets,
        net_inflow,
        trade_volume,
        net_commission,
        other_revenue,
    }
}
