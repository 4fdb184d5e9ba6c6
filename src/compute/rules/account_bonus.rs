//! §4.5 开户奖励: which new accounts are valid (有效户) and what each earns.
//!
//! An account is valid when its first deposit reaches `min_first_deposit` and its client's
//! month-end assets in the month's CRM export (the client-level figure) reach
//! `min_month_end_assets`; a client absent from the CRM export (or all of whose rows were
//! rejected) fails the second test. A valid account earns the bonus of its type (0 for a type
//! the standard does not list). `apply` judges the month's accounts and counts each new one to
//! its manager.

use rust_decimal::Decimal;

use crate::compute::attribution::{Active, Tally};
use crate::compute::month::{AccountOutcome, AccountsRecon};
pub use crate::compute::working::Invalid;
use crate::config::Standard;
use crate::ingest::{AccountRow, AccountStatus};
use crate::lookup::Lookup;

/// The 有效户 test of §4.5.
///
/// # Errors
/// Why the account is not valid.
pub fn validity(first_deposit: Decimal, client_assets: Option<Decimal>, standard: &Standard) -> Result<(), Invalid> {
    if first_deposit < standard.min_first_deposit {
        return Err(Invalid::LowDeposit { deposit: first_deposit, min: standard.min_first_deposit });
    }
    match client_assets {
        None => Err(Invalid::NotInCrm),
        Some(v) if v < standard.min_month_end_assets => {
            Err(Invalid::LowAssets { assets: v, min: standard.min_month_end_assets })
        }
        Some(_) => Ok(()),
    }
}

/// The bonus a valid account of `account_type` earns (0 for a type not listed).
pub fn bonus(account_type: &str, standard: &Standard) -> Decimal {
    standard.account_bonus.get(account_type.trim()).copied().unwrap_or_default()
}

/// §4.5 applied to the month: every new account (in file order) with its validity and bonus,
/// counted to its manager's tally when the manager is active; every account row counted in the
/// accounts reconciliation. `client_assets`: the client-level month-end assets of the clients
/// with accepted CRM rows.
pub(crate) fn apply(
    rows: Vec<AccountRow>,
    client_assets: &Lookup<String, Decimal>,
    standard: &Standard,
    active: &Active,
    tally: &mut [Tally],
) -> (Vec<AccountOutcome>, AccountsRecon) {
    let mut outcomes = Vec::new();
    let mut recon = AccountsRecon::default();
    for a in rows {
        recon.rows += 1;
        match a.status {
            AccountStatus::Rejected => recon.rejected += 1,
            AccountStatus::Returning(_) => recon.returning += 1,
            AccountStatus::New => {
                let valid = validity(a.first_deposit, client_assets.get(&a.client_id).copied(), standard);
                let bonus = if valid.is_ok() { bonus(&a.account_type, standard) } else { Decimal::ZERO };
                if let Some(i) = active.place(&a.manager_id) {
                    let t = &mut tally[i].accounts;
                    t.new += 1;
                    t.valid += u32::from(valid.is_ok());
                    t.bonus += bonus;
                }
                if valid.is_ok() {
                    recon.valid += 1;
                } else {
                    recon.not_valid += 1;
                }
                outcomes.push(AccountOutcome {
                    manager_id: a.manager_id,
                    client_id: a.client_id,
                    client_name: a.client_name,
                    open_date: a.open_date,
                    account_type: a.account_type,
                    outlet: a.outlet,
                    first_deposit: a.first_deposit,
                    valid,
                    bonus,
                });
            }
        }
    }
    (outcomes, recon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    fn standard() -> Standard {
        Standard::parse(include_str!("../../../config/standards/2026.toml"), std::path::Path::new("2026.toml")).unwrap()
    }

    #[test]
    fn both_thresholds_are_inclusive() {
        let s = standard();
        assert_eq!(validity(d("10000"), Some(d("10000")), &s), Ok(()));
        assert_eq!(
            validity(d("9999.99"), Some(d("50000")), &s),
            Err(Invalid::LowDeposit { deposit: d("9999.99"), min: d("10000") })
        );
        assert_eq!(
            validity(d("10000"), Some(d("9999.99")), &s),
            Err(Invalid::LowAssets { assets: d("9999.99"), min: d("10000") })
        );
        assert_eq!(validity(d("20000"), None, &s), Err(Invalid::NotInCrm));
    }

    #[test]
    fn the_bonus_is_by_type_and_unlisted_types_earn_nothing() {
        let s = standard();
        assert_eq!(bonus("A股", &s), d("100"));
        assert_eq!(bonus(" 机构 ", &s), d("800"));
        assert_eq!(bonus("港股通", &s), d("0"));
    }
}
