//! The serial numbers a month prints (SPEC §5 items 3 and 8), in one place: the confirmation
//! slips' `<org code>-<YYYYMM>-<NNN>` (from 001 in manager_id order, natural, over the managers
//! with new accounts) and the pay statements' `<org code>-<YYYYMM>-XC<NNN>` (from 001 in report
//! order, one per payroll row). The workbooks print them and the month's summary keeps them, so
//! that a manager's file (`dossier`) names the very serials the month printed.

use std::collections::BTreeMap;

use crate::calendar::YearMonth;
use crate::compute::{AccountOutcome, ComputedMonth, ManagerPay};
use crate::model::order::Natural;

/// The serial of the `n`-th pay statement (from 0) of `month`.
pub fn statement_serial(code: &str, month: YearMonth, n: usize) -> String {
    format!("{code}-{}-XC{:03}", month.compact(), n + 1)
}

/// The serial of the `n`-th confirmation slip (from 0) of `month`.
pub fn slip_serial(code: &str, month: YearMonth, n: usize) -> String {
    format!("{code}-{}-{:03}", month.compact(), n + 1)
}

/// The managers who get a confirmation slip, in slip order (manager_id, natural: `9001` before
/// `10001`), each with their new accounts in file order.
pub fn slip_holders(month: &ComputedMonth) -> Vec<(&ManagerPay, Vec<&AccountOutcome>)> {
    let managers: BTreeMap<&str, &ManagerPay> =
        month.managers.iter().map(|m| (m.person.manager_id.as_str(), m)).collect();
    let mut by_manager: BTreeMap<Natural, Vec<&AccountOutcome>> = BTreeMap::new();
    for o in &month.accounts {
        by_manager.entry(Natural(o.manager_id.clone())).or_default().push(o);
    }
    by_manager.into_iter().filter_map(|(id, accounts)| managers.get(id.0.as_str()).map(|m| (*m, accounts))).collect()
}
