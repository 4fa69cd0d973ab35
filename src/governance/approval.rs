//! Verified approvals (SPEC 10). A governance change, and an exception that
//! a change adds or alters (a waiver, a not_applicable, a risk acceptance),
//! counts only when someone the base configuration names as an approver,
//! other than the change's author, approved the change's head commit on the
//! code host. Anything that cannot be verified (no token, not a pull
//! request, an API error) stands, and says why.

use super::codeowners::Codeowners;
use crate::config::{ApprovalMode, Governance};
use crate::evaluate::waivers::Waiver;
use crate::finding::{Approval, Finding, Severity};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The id of the rule whose findings are governance changes.
pub const RULE: &str = "governance-change";

/// What a code host says about the change under review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reviews {
    /// Who opened the change: their approval never counts.
    pub author: String,
    /// The commit the approvals must be for.
    pub head: String,
    /// Users whose approval of `head` stands (not the author, not dismissed).
    pub approvers: Vec<String>,
    /// Approvals that do not count, each with why ("bob approved an older commit").
    pub discounted: Vec<String>,
}

/// A code host that can tell who approved a change.
pub trait Platform: Send + Sync {
    /// `github-review` or `gitlab-approval`: how an approval was verified.
    fn via(&self) -> &'static str;
    fn reviews(&self) -> Result<Reviews, String>;
    /// Whether `user` is an active member of `team` (`org/team`, or a GitLab group path).
    fn is_member(&self, team: &str, user: &str) -> Result<bool, String>;
}

/// Decides approvals for one run: asks the platform once, caches team answers.
pub struct Verifier {
    platform: Result<Box<dyn Platform>, String>,
    reviews: OnceLock<Result<Reviews, String>>,
    members: Mutex<HashMap<(String, String), Result<bool, String>>>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("platform", &self.platform.as_ref().map(|p| p.via()))
            .finish_non_exhaustive()
    }
}

/// What an exception gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Verified: waived, naming the reviewer.
    Approved(Approval),
    /// CODEOWNERS at REF covers the file: left to branch protection.
    Covered(Approval),
    /// Stands, and this says why.
    Unapproved(String),
}

impl Verifier {
    pub fn new(platform: Box<dyn Platform>) -> Verifier {
        Verifier::from_result(Ok(platform))
    }

    /// A verifier that cannot verify anything, and says why.
    pub fn unavailable(why: impl Into<String>) -> Verifier {
        Verifier::from_result(Err(why.into()))
    }

    fn from_result(platform: Result<Box<dyn Platform>, String>) -> Verifier {
        Verifier {
            platform,
            reviews: OnceLock::new(),
            members: Mutex::new(HashMap::new()),
        }
    }

    fn reviews(&self) -> Result<&Reviews, String> {
        let platform = self.platform.as_ref().map_err(Clone::clone)?;
        self.reviews
            .get_or_init(|| platform.reviews())
            .as_ref()
            .map_err(Clone::clone)
    }

    fn member(&self, team: &str, user: &str) -> Result<bool, String> {
        let platform = self.platform.as_ref().map_err(Clone::clone)?;
        let key = (team.to_ascii_lowercase(), user.to_ascii_lowercase());
        if let Some(known) = self.members.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return known;
        }
        let answer = platform.is_member(team, user);
        if let Ok(mut members) = self.members.lock() {
            members.insert(key, answer.clone());
        }
        answer
    }

    /// Whether one of `approvers` (users or `@org/team`) approved the change.
    pub fn decide(&self, approvers: &[String]) -> Decision {
        if approvers.is_empty() {
            return Decision::Unapproved(
                "no approvers are configured ([governance] approvers in aimsgate.toml at the base revision)"
                    .into(),
            );
        }
        let reviews = match self.reviews() {
            Ok(r) => r,
            Err(why) => {
                return Decision::Unapproved(format!("approvals cannot be verified: {why}"))
            }
        };
        let via = self.platform.as_ref().map_or("review", |p| p.via());
        let mut problems = Vec::new();
        for reviewer in &reviews.approvers {
            for approver in approvers {
                let ok = match approver.strip_prefix('@') {
                    None => approver.eq_ignore_ascii_case(reviewer),
                    Some(team) => match self.member(team, reviewer) {
                        Ok(yes) => yes,
                        Err(why) => {
                            problems.push(format!(
                                "cannot tell whether {reviewer} is in {approver}: {why}"
                            ));
                            false
                        }
                    },
                };
                if ok {
                    return Decision::Approved(Approval {
                        by: reviewer.clone(),
                        verified: true,
                        via: via.to_string(),
                    });
                }
            }
        }
        let mut why = format!(
            "no approval of the head commit {} by {} (the author, {}, cannot approve)",
            crate::tree::short(&reviews.head),
            approvers.join(", "),
            if reviews.author.is_empty() {
                "unknown"
            } else {
                &reviews.author
            }
        );
        let others: Vec<&String> = reviews.approvers.iter().collect();
        if !others.is_empty() {
            why.push_str(&format!(
                "; approved by {}, who {} not an approver",
                others
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                if others.len() == 1 { "is" } else { "are" }
            ));
        }
        for d in reviews.discounted.iter().chain(problems.iter()) {
            why.push_str("; ");
            why.push_str(d);
        }
        Decision::Unapproved(why)
    }
}

/// How approvals are decided in one run under `--base`.
pub struct Settlement<'a> {
    pub governance: &'a Governance,
    pub verifier: &'a Verifier,
    pub codeowners: &'a Codeowners,
    /// The scan root's path from the top of the repository (`""` or `ml/`).
    pub prefix: &'a str,
}

impl Settlement<'_> {
    fn decide(&self, rule: &str, file: &str) -> Decision {
        match self.governance.approval {
            ApprovalMode::Review => self.verifier.decide(self.governance.approvers_for(rule)),
            ApprovalMode::Codeowners => {
                let path = format!("{}{file}", self.prefix);
                let owners = self.codeowners.owners(&path);
                if owners.is_empty() {
                    let at = self
                        .codeowners
                        .file
                        .as_deref()
                        .unwrap_or("no CODEOWNERS file");
                    Decision::Unapproved(format!(
                        "no CODEOWNERS rule at the base revision ({at}) gives {path} an owner, so branch protection asks no one"
                    ))
                } else {
                    Decision::Covered(Approval {
                        by: owners.join(" "),
                        verified: false,
                        via: "codeowners".into(),
                    })
                }
            }
        }
    }

    /// Settles every governance-change finding, and every exception one of
    /// them reports as new or changed: approved ones are waived (naming the
    /// reviewer), covered ones become warnings, others stand and say why.
    /// Runs before waivers are applied, so an unapproved new waiver waives nothing.
    pub fn settle(&self, findings: &mut [Finding], waivers: &mut [Waiver]) {
        let mut changes: Vec<(Option<String>, String, String, Decision)> = Vec::new();
        for f in findings.iter_mut().filter(|f| f.rule == RULE) {
            let decision = self.decide(RULE, &f.file);
            apply(f, &decision);
            changes.push((
                f.system.clone(),
                f.field.clone().unwrap_or_default(),
                f.file.clone(),
                decision,
            ));
        }
        let changed = |system: &Option<String>, field: &str| {
            changes
                .iter()
                .find(|(s, changed, _, _)| s == system && overlaps(changed, field))
                .map(|(_, _, file, _)| file.clone())
        };
        for w in waivers.iter_mut() {
            let Some(field) = &w.field else { continue };
            let Some(file) = changed(&w.system, field) else {
                continue;
            };
            match self.decide(&w.rule, &file) {
                Decision::Approved(a) | Decision::Covered(a) => w.approval = a,
                Decision::Unapproved(why) => {
                    w.invalid = Some(format!(
                        "is new or changed in this change without a verified approval ({why})"
                    ));
                }
            }
        }
        for f in findings.iter_mut().filter(|f| f.rule != RULE) {
            let Some(field) = f.exception.clone() else {
                continue;
            };
            let Some(file) = changed(&f.system, &field) else {
                continue;
            };
            match self.decide(&f.rule, &file) {
                Decision::Approved(a) | Decision::Covered(a) => {
                    let claim = f
                        .approval
                        .as_ref()
                        .map(|c| c.by.clone())
                        .unwrap_or_default();
                    f.waiver = Some(format!(
                        "{field} written as approved by {claim:?}; {}",
                        a.describe()
                    ));
                    f.approval = Some(a);
                }
                Decision::Unapproved(why) => {
                    f.waived = false;
                    f.waiver = None;
                    f.message.push_str(&format!(
                        " ({field} is new or changed in this change without a verified approval: {why})"
                    ));
                }
            }
        }
    }
}

fn apply(f: &mut Finding, decision: &Decision) {
    match decision {
        Decision::Approved(a) => {
            f.waived = true;
            f.waiver = Some(format!("governance change {}", a.describe()));
            f.approval = Some(a.clone());
        }
        Decision::Covered(a) => {
            f.severity = f.severity.min(Severity::Warning);
            f.waiver = None;
            f.approval = Some(a.clone());
            f.message.push_str(&format!(" ({})", a.describe()));
        }
        Decision::Unapproved(why) => {
            f.message
                .push_str(&format!(" (no verified approval: {why})"));
        }
    }
}

/// Two record paths overlap when one is the other or lies below it, segment-wise.
fn overlaps(a: &str, b: &str) -> bool {
    let below = |x: &str, y: &str| x == y || x.strip_prefix(y).is_some_and(|r| r.starts_with('.'));
    !a.is_empty() && !b.is_empty() && (below(a, b) || below(b, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(Result<Reviews, String>, Vec<(&'static str, &'static str)>);

    impl Platform for Fixed {
        fn via(&self) -> &'static str {
            "github-review"
        }
        fn reviews(&self) -> Result<Reviews, String> {
            self.0.clone()
        }
        fn is_member(&self, team: &str, user: &str) -> Result<bool, String> {
            Ok(self.1.iter().any(|(t, u)| *t == team && *u == user))
        }
    }

    fn reviews(approvers: &[&str]) -> Result<Reviews, String> {
        Ok(Reviews {
            author: "mallory".into(),
            head: "a".repeat(40),
            approvers: approvers.iter().map(|s| s.to_string()).collect(),
            discounted: vec![],
        })
    }

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_approver_or_a_team_member_approves() {
        let v = Verifier::new(Box::new(Fixed(
            reviews(&["Bob"]),
            vec![("acme/gov", "Bob")],
        )));
        assert!(
            matches!(v.decide(&list(&["bob"])), Decision::Approved(a) if a.by == "Bob" && a.verified)
        );
        assert!(matches!(
            v.decide(&list(&["@acme/gov"])),
            Decision::Approved(_)
        ));
        let Decision::Unapproved(why) = v.decide(&list(&["alice"])) else {
            panic!("approved");
        };
        assert!(why.contains("Bob, who is not an approver"), "{why}");
        assert!(matches!(v.decide(&[]), Decision::Unapproved(w) if w.contains("no approvers")));
    }

    #[test]
    fn an_unverifiable_platform_fails_closed() {
        let v = Verifier::new(Box::new(Fixed(Err("the API answered 500".into()), vec![])));
        assert!(matches!(v.decide(&list(&["bob"])), Decision::Unapproved(w) if w.contains("500")));
        let v = Verifier::unavailable("no token");
        assert!(
            matches!(v.decide(&list(&["bob"])), Decision::Unapproved(w) if w.contains("no token"))
        );
    }

    #[test]
    fn record_paths_overlap_segment_wise() {
        assert!(overlaps("waivers.1", "waivers.1.expires"));
        assert!(overlaps(
            "fairness.not_applicable",
            "fairness.not_applicable"
        ));
        assert!(!overlaps("waivers.1", "waivers.10"));
        assert!(!overlaps("", "waivers.1"));
    }
}
