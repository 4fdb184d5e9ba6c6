//! `[[signers]]` of `brokercomp.toml`: who signs the 薪酬月报表 in turn (SPEC §3, §4.12).
//!
//! Takes the raw tables (name, role, OpenSSH public key) and the sign-off chain of
//! `report.signoff`; gives the validated [`Signer`]s, each with its parsed key. Refuses, naming
//! the key and the value: an empty name; a role that is not in `report.signoff` after its first
//! entry (the preparer, who does not sign the chain); a key that does not parse, or is not an
//! `ssh-ed25519` key; one key registered twice (under two names, or twice under one); one person
//! under two roles (the chain is signed in turn by different people); a chain role repeated in
//! `report.signoff`; a role of the chain that nobody can sign (the month could never be closed).
//! With no `[[signers]]` nothing is checked and nothing changes.

use serde::Deserialize;
use ssh_key::{Algorithm, HashAlg, PublicKey};

use super::ConfigError;

/// One `[[signers]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignerRaw {
    name: String,
    role: String,
    key: String,
}

impl SignerRaw {
    /// The role as written (`branches.toml` orders a branch's chain by it).
    pub(super) fn role(&self) -> &str {
        &self.role
    }
}

/// A person who signs the month's report in one role of the chain, with their public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub name: String,
    /// One of `report.signoff` after its first entry.
    pub role: String,
    /// The OpenSSH public key (`ssh-ed25519 AAAA…`).
    pub key: PublicKey,
}

impl Signer {
    /// The key's fingerprint as `ssh-keygen -l` prints it: `SHA256:…`.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.key)
    }
}

/// A public key's fingerprint as `ssh-keygen -l` prints it: `SHA256:…`.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Validate the signers against the chain (`signoff`, whose first entry is the preparer); `err`
/// makes an error naming the file.
pub(super) fn validate(
    raw: Vec<SignerRaw>,
    signoff: &[String],
    err: impl Fn(&str, String) -> ConfigError,
) -> Result<Vec<Signer>, ConfigError> {
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    let roles = signoff.get(1..).unwrap_or_default();
    for (i, r) in roles.iter().enumerate() {
        if roles[..i].contains(r) {
            return Err(err("report.signoff", format!("{r:?} is listed twice: each role signs once, in turn")));
        }
    }
    let mut out: Vec<Signer> = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        let name = s.name.trim().to_string();
        if name.is_empty() {
            return Err(err(&format!("signers[{i}].name"), "is empty".into()));
        }
        let role = s.role.trim().to_string();
        if !roles.contains(&role) {
            let preparer = signoff.first().map(|p| format!(" after its preparer {p}")).unwrap_or_default();
            return Err(err(
                &format!("signers[{i}].role"),
                format!(
                    "{:?} is not a role of report.signoff{preparer}; the roles that sign are: {}",
                    s.role,
                    if roles.is_empty() { "none".to_string() } else { roles.join(", ") }
                ),
            ));
        }
        let key_key = format!("signers[{i}].key");
        let key = PublicKey::from_openssh(s.key.trim())
            .map_err(|e| err(&key_key, format!("{:?} is not an OpenSSH public key: {e}", s.key)))?;
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(err(
                &key_key,
                format!("{:?} is a {} key; signers need ssh-ed25519 keys", s.key, key.algorithm()),
            ));
        }
        if let Some((j, other)) = out.iter().enumerate().find(|(_, o)| o.key.key_data() == key.key_data()) {
            let why = if other.name == name {
                format!("is listed twice for {name} (signers[{j}])")
            } else {
                format!("is already the key of {} (signers[{j}]): one key belongs to one person", other.name)
            };
            return Err(err(&key_key, format!("{:?} ({}) {why}", s.key, fingerprint(&key))));
        }
        if let Some((j, other)) = out.iter().enumerate().find(|(_, o)| o.name == name && o.role != role) {
            return Err(err(
                &format!("signers[{i}].role"),
                format!(
                    "{:?}: {name} already signs as {} (signers[{j}]); the chain is signed in turn by different people",
                    s.role, other.role
                ),
            ));
        }
        out.push(Signer { name, role, key });
    }
    if let Some(r) = roles.iter().find(|r| !out.iter().any(|s| &s.role == *r)) {
        return Err(err(
            "signers",
            format!("nobody signs as {r:?}: every role of report.signoff after the preparer needs a signer, or no month could be closed"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    // Two ed25519 public keys made by ssh-keygen for these tests.
    const K1: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILSUdhX6PAW7rSYSLy7HUyq6C3KxY7w3C/uu+7dJwQx3 one@test";
    const K2: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGOr3E0POvLBL5AtLSSN1Yp7UO4DPR0s/YvaVgRw1/8q two@test";
    const K3: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINOuK8vMV1TTGDH1hWQKMwYNxnFG43UYijbWr8uOtopi three@test";

    fn chain() -> Vec<String> {
        ["制表", "主办会计", "副经理（经理助理）", "经理"].iter().map(|s| s.to_string()).collect()
    }

    fn raw(list: &[(&str, &str, &str)]) -> Vec<SignerRaw> {
        list.iter()
            .map(|(n, r, k)| SignerRaw { name: n.to_string(), role: r.to_string(), key: k.to_string() })
            .collect()
    }

    fn check(list: &[(&str, &str, &str)]) -> Result<Vec<Signer>, ConfigError> {
        validate(raw(list), &chain(), |k, m| ConfigError::new(Path::new("c.toml"), k, m))
    }

    #[test]
    fn a_full_chain_validates_and_two_signers_may_share_a_role() {
        let s =
            check(&[("张会计", "主办会计", K1), ("李副", "副经理（经理助理）", K2), ("王经理", "经理", K3)]).unwrap();
        assert_eq!(s.len(), 3);
        assert!(s[0].fingerprint().starts_with("SHA256:"));
        let e = check(&[("张会计", "主办会计", K1), ("赵会计", "主办会计", K2), ("王经理", "经理", K3)]).unwrap_err();
        assert_eq!(e.key, "signers", "副经理 has nobody: {e}");
        assert!(e.message.contains("副经理（经理助理）"), "{e}");
    }

    #[test]
    fn the_preparer_and_unknown_roles_are_refused_naming_key_and_value() {
        let e = check(&[("张会计", "制表", K1)]).unwrap_err();
        assert_eq!(e.key, "signers[0].role");
        assert!(e.message.contains("\"制表\"") && e.message.contains("主办会计, 副经理（经理助理）, 经理"), "{e}");
        let e = check(&[("张会计", "出纳", K1)]).unwrap_err();
        assert!(e.message.contains("\"出纳\""), "{e}");
    }

    #[test]
    fn a_key_that_does_not_parse_is_refused_with_its_value() {
        let e = check(&[("张会计", "主办会计", "ssh-ed25519 AAAAnotakey")]).unwrap_err();
        assert_eq!(e.key, "signers[0].key");
        assert!(e.message.contains("AAAAnotakey"), "{e}");
    }

    #[test]
    fn one_key_under_two_names_and_one_person_in_two_roles_are_refused() {
        let e = check(&[("张会计", "主办会计", K1), ("李副", "副经理（经理助理）", K1)]).unwrap_err();
        assert_eq!(e.key, "signers[1].key");
        assert!(e.message.contains("张会计") && e.message.contains("SHA256:"), "{e}");
        let e = check(&[("张会计", "主办会计", K1), ("张会计", "经理", K2)]).unwrap_err();
        assert_eq!(e.key, "signers[1].role");
    }

    #[test]
    fn a_role_listed_twice_in_the_chain_is_refused_only_when_signers_are_set() {
        let mut signoff = chain();
        signoff.push("经理".into());
        let e = validate(raw(&[("张会计", "主办会计", K1)]), &signoff, |k, m| ConfigError::new("c.toml", k, m))
            .unwrap_err();
        assert_eq!(e.key, "report.signoff");
        assert!(validate(Vec::new(), &signoff, |k, m| ConfigError::new("c.toml", k, m)).unwrap().is_empty());
    }
}
