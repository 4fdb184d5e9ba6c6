//! `branches.toml`: head office's registry of the branches that file with it (SPEC §4.13).
//!
//! Takes the file's text; gives a [`Registry`]: each branch (code, name, and the signers of its
//! sign-off chain as head office knows them) in the file's order, and the `[limits]` the
//! consolidation flags against. Keys head office registers here are the only keys a package's
//! chain is verified against: a package never brings its own. Refuses, naming the key and the
//! value: an unknown key; no branch at all; a code that is empty or not letters, digits, `-` or
//! `_` (it names the branch's package file); a code listed twice (also in another case: the
//! package files `SZNS_…` and `szns_…` are one file on Windows); an empty name; a signer as
//! `[[signers]]` of `brokercomp.toml` refuses it (a key that does not parse or is not ed25519,
//! one key twice in one branch, one person under two roles); a `max_pay_ratio` that is a binary
//! float, not a decimal, or not above 0.
//!
//! The registry says who may sign for which role of a branch (the keys), not in which order: the
//! chain is signed in the turn of the branch's own `report.signoff`, which its package carries
//! (SPEC §4.12); the order of `[[branches.signers]]` means nothing.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use super::signers::{self, SignerRaw};
use super::{toml_error, ConfigError, NumRaw, Signer};

/// `branches.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryRaw {
    #[serde(default)]
    branches: Vec<BranchRaw>,
    #[serde(default)]
    limits: LimitsRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BranchRaw {
    code: String,
    name: String,
    #[serde(default)]
    signers: Vec<SignerRaw>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LimitsRaw {
    max_pay_ratio: Option<NumRaw>,
}

/// A branch as head office registers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// Its `organization.code`: the package is `<code>_<YYYYMM>.zip`.
    pub code: String,
    pub name: String,
    /// The signers of its chain, with the keys head office registered; empty: the chain is not
    /// checked.
    pub signers: Vec<Signer>,
}

impl Branch {
    /// The roles head office registers signers for, once each (in the order they first appear,
    /// which carries no meaning: the chain's turn is the package's `report.signoff`).
    pub fn roles(&self) -> Vec<String> {
        let mut roles: Vec<String> = Vec::new();
        for s in &self.signers {
            if !roles.contains(&s.role) {
                roles.push(s.role.clone());
            }
        }
        roles
    }
}

/// `[limits]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// A branch whose total pay ÷ net revenue is above this is flagged 超限.
    pub max_pay_ratio: Option<Decimal>,
}

/// The validated `branches.toml`.
#[derive(Debug, Clone)]
pub struct Registry {
    pub file: PathBuf,
    /// In the file's order: the consolidation's order.
    pub branches: Vec<Branch>,
    pub limits: Limits,
}

impl Registry {
    /// Read and validate `branches.toml`.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file, the key and the bad value.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| ConfigError::new(path, "", format!("cannot read: {e}")))?;
        Self::parse(&text, path)
    }

    /// Validate the text of `branches.toml`; `file` names it in errors.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file, the key and the bad value.
    pub fn parse(text: &str, file: &Path) -> Result<Self, ConfigError> {
        let raw: RegistryRaw = toml::from_str(text).map_err(|e| toml_error(file, &e))?;
        let err = |key: &str, msg: String| ConfigError::new(file, key, msg);
        if raw.branches.is_empty() {
            return Err(err("branches", "no [[branches]]: register at least one branch".into()));
        }
        let mut branches: Vec<Branch> = Vec::new();
        for (i, b) in raw.branches.into_iter().enumerate() {
            let code = b.code.trim().to_string();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                return Err(err(
                    &format!("branches[{i}].code"),
                    format!("{:?} must be letters, digits, - or _", b.code),
                ));
            }
            if let Some((j, other)) = branches.iter().enumerate().find(|(_, o)| o.code.eq_ignore_ascii_case(&code)) {
                return Err(err(
                    &format!("branches[{i}].code"),
                    format!("{:?} is listed twice (branches[{j}] is {:?}): one code, one branch", b.code, other.code),
                ));
            }
            let name = b.name.trim().to_string();
            if name.is_empty() {
                return Err(err(&format!("branches[{i}].name"), "is empty".into()));
            }
            // The signers are checked as brokercomp.toml's are, against the roles they name (the
            // first entry stands for the preparer, who does not sign the chain; the order is
            // irrelevant here: the chain's turn is the package's report.signoff).
            let mut signoff = vec![String::new()];
            for s in &b.signers {
                let role = s.role().trim().to_string();
                if !signoff[1..].contains(&role) {
                    signoff.push(role);
                }
            }
            let prefix = format!("branches[{i}].");
            let signers = signers::validate(b.signers, &signoff, |key: &str, msg: String| {
                ConfigError::new(file, format!("{prefix}{key}"), msg)
            })?;
            branches.push(Branch { code, name, signers });
        }
        let max_pay_ratio = match &raw.limits.max_pay_ratio {
            None => None,
            Some(NumRaw::Float(f)) => {
                return Err(err(
                    "limits.max_pay_ratio",
                    format!("{f} is a binary float: write the ratio as a decimal string, e.g. \"{f}\""),
                ))
            }
            Some(n) => {
                let v = n.to_decimal().map_err(|e| err("limits.max_pay_ratio", e))?;
                if v <= Decimal::ZERO {
                    return Err(err("limits.max_pay_ratio", format!("{} must be above 0", n.raw())));
                }
                Some(v)
            }
        };
        Ok(Registry { file: file.to_path_buf(), branches, limits: Limits { max_pay_ratio } })
    }

    /// The branch registered under `code`.
    pub fn branch(&self, code: &str) -> Option<&Branch> {
        self.branches.iter().find(|b| b.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use ssh_key::private::Ed25519Keypair;
    use ssh_key::PrivateKey;

    /// A public key line from a fixed seed.
    fn key(i: u8) -> String {
        let k = PrivateKey::from(Ed25519Keypair::from_seed(&[i + 1; 32]));
        k.public_key().to_openssh().unwrap()
    }

    fn parse(text: &str) -> Result<Registry, ConfigError> {
        Registry::parse(text, Path::new("branches.toml"))
    }

    fn refused(text: &str, key: &str, words: &str) {
        let e = parse(text).unwrap_err();
        assert_eq!(e.key, key, "{e}");
        assert!(e.to_string().contains(words), "{words:?} in {e}");
    }

    const TWO: &str = "[[branches]]\ncode = \"SZNS\"\nname = \"深圳南山营业部\"\n[[branches]]\ncode = \"SZFT\"\nname = \"深圳福田营业部\"\n";

    #[test]
    fn branches_keep_their_order_and_limits_their_exact_ratio() {
        let r = parse(&format!("{TWO}[limits]\nmax_pay_ratio = \"0.45\"\n")).unwrap();
        let codes: Vec<&str> = r.branches.iter().map(|b| b.code.as_str()).collect();
        assert_eq!(codes, ["SZNS", "SZFT"]);
        assert_eq!(r.limits.max_pay_ratio, Some(Decimal::new(45, 2)));
        assert_eq!(r.branch("SZFT").unwrap().name, "深圳福田营业部");
        assert!(r.branch("szft").is_none());
        assert_eq!(parse(TWO).unwrap().limits.max_pay_ratio, None);
    }

    #[test]
    fn a_branchs_roles_are_those_of_its_signers_once_each() {
        let text = format!(
            "[[branches]]\ncode = \"SZNS\"\nname = \"南山\"\n\
             [[branches.signers]]\nname = \"张会计\"\nrole = \"主办会计\"\nkey = \"{}\"\n\
             [[branches.signers]]\nname = \"王经理\"\nrole = \"经理\"\nkey = \"{}\"\n\
             [[branches.signers]]\nname = \"赵会计\"\nrole = \"主办会计\"\nkey = \"{}\"\n",
            key(0),
            key(1),
            key(2)
        );
        let r = parse(&text).unwrap();
        let b = r.branch("SZNS").unwrap();
        assert_eq!(b.signers.len(), 3);
        assert_eq!(b.roles(), ["主办会计", "经理"]);
    }

    #[test]
    fn every_error_names_the_key_and_the_value() {
        refused("[[branches]]\ncode = \"X\"\nname = \"x\"\ncolour = \"red\"\n", "", "colour");
        refused("[limits]\nmax_pay_ratio = \"0.4\"\n", "branches", "no [[branches]]");
        refused("[[branches]]\ncode = \"SZ NS\"\nname = \"x\"\n", "branches[0].code", "\"SZ NS\"");
        refused("[[branches]]\ncode = \"\"\nname = \"x\"\n", "branches[0].code", "must be letters");
        refused(
            &format!("{TWO}[[branches]]\ncode = \"szns\"\nname = \"又一个\"\n"),
            "branches[2].code",
            "listed twice",
        );
        refused("[[branches]]\ncode = \"A\"\nname = \" \"\n", "branches[0].name", "is empty");
        refused(&format!("{TWO}[limits]\nmax_pay_ratio = 0.45\n"), "limits.max_pay_ratio", "binary float");
        refused(&format!("{TWO}[limits]\nmax_pay_ratio = \"四成\"\n"), "limits.max_pay_ratio", "\"四成\"");
        refused(&format!("{TWO}[limits]\nmax_pay_ratio = \"0\"\n"), "limits.max_pay_ratio", "above 0");
        refused(&format!("{TWO}[limits]\nmax_ratio = \"0.4\"\n"), "", "max_ratio");
        let signer = |name: &str, role: &str, k: &str| {
            format!("[[branches.signers]]\nname = \"{name}\"\nrole = \"{role}\"\nkey = \"{k}\"\n")
        };
        let one = "[[branches]]\ncode = \"SZNS\"\nname = \"南山\"\n";
        refused(
            &format!("{one}{}", signer("张", "主办会计", "ssh-ed25519 AAAA")),
            "branches[0].signers[0].key",
            "AAAA",
        );
        refused(
            &format!("{one}{}{}", signer("张", "主办会计", &key(0)), signer("李", "经理", &key(0))),
            "branches[0].signers[1].key",
            "already the key of 张",
        );
        refused(
            &format!("{one}{}{}", signer("张", "主办会计", &key(0)), signer("张", "经理", &key(1))),
            "branches[0].signers[1].role",
            "already signs as 主办会计",
        );
        // One key may sign for two branches (a person who signs for both).
        let two_branches = format!(
            "{one}{}[[branches]]\ncode = \"SZFT\"\nname = \"福田\"\n{}",
            signer("张", "主办会计", &key(0)),
            signer("张", "主办会计", &key(0))
        );
        assert_eq!(parse(&two_branches).unwrap().branches.len(), 2);
    }
}
