//! Who approved a pull request, as GitHub records it: the reviews of the
//! pull request (every page) and, for `@org/team` approvers, the team's
//! memberships. Only an APPROVED review of the head commit, by someone other
//! than the author, that is still each reviewer's latest word, counts.

use super::api::Client;
use super::env::{valid_login, PullRequest};
use crate::governance::approval::{Platform, Reviews};
use serde_json::Value;
use std::collections::BTreeMap;

/// The reviews of one pull request.
pub struct PullRequestReviews {
    client: Client,
    repository: String,
    pull_request: PullRequest,
}

impl PullRequestReviews {
    pub fn new(client: Client, repository: &str, pull_request: PullRequest) -> PullRequestReviews {
        PullRequestReviews {
            client,
            repository: repository.to_string(),
            pull_request,
        }
    }
}

impl Platform for PullRequestReviews {
    fn via(&self) -> &'static str {
        "github-review"
    }

    fn reviews(&self) -> Result<Reviews, String> {
        let author =
            self.pull_request.author.as_deref().ok_or(
                "the event does not name the pull request's author (pull_request.user.login)",
            )?;
        let path = format!(
            "/repos/{}/pulls/{}/reviews",
            self.repository, self.pull_request.number
        );
        let reviews = self.client.get_all(&path).map_err(|e| {
            format!(
                "cannot list the reviews of pull request #{}: {e}",
                self.pull_request.number
            )
        })?;
        Ok(standing(&reviews, author, &self.pull_request.head_sha))
    }

    fn is_member(&self, team: &str, user: &str) -> Result<bool, String> {
        let (org, slug) = team
            .split_once('/')
            .filter(|(org, slug)| valid_login(org) && valid_login(slug))
            .ok_or_else(|| format!("{team:?} is not an organisation/team"))?;
        if !valid_login(user) {
            return Ok(false);
        }
        let path = format!("/orgs/{org}/teams/{slug}/memberships/{user}");
        match self.client.get(&path) {
            Ok(membership) => Ok(membership.get("state").and_then(Value::as_str) == Some("active")),
            Err(e) if e.status == Some(404) => Ok(false),
            Err(e) => Err(format!(
                "cannot read the membership of @{team} ({e}; the token needs read access to the organisation's members)"
            )),
        }
    }
}

/// The approvals that stand among `reviews` (oldest first, as the API lists
/// them): each reviewer's latest APPROVED, CHANGES_REQUESTED or DISMISSED
/// review decides; comments change nothing.
pub fn standing(reviews: &[Value], author: &str, head: &str) -> Reviews {
    // Lower-cased login -> (login as written, state, commit).
    let mut latest: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for review in reviews {
        let Some(login) = review
            .get("user")
            .and_then(|u| u.get("login"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let state = review.get("state").and_then(Value::as_str).unwrap_or("");
        if !matches!(state, "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED") {
            continue;
        }
        let commit = review
            .get("commit_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        latest.insert(
            login.to_ascii_lowercase(),
            (login.to_string(), state.to_string(), commit),
        );
    }
    let mut standing = Reviews {
        author: author.to_string(),
        head: head.to_string(),
        ..Reviews::default()
    };
    for (login, state, commit) in latest.into_values() {
        let why = match state.as_str() {
            "APPROVED" if login.eq_ignore_ascii_case(author) => {
                Some(format!("{login} is the pull request's author"))
            }
            "APPROVED" if !commit.eq_ignore_ascii_case(head) => Some(format!(
                "{login} approved an older commit ({})",
                commit.get(..7).unwrap_or(&commit)
            )),
            "APPROVED" => None,
            "DISMISSED" => Some(format!("{login}'s approval was dismissed")),
            _ => Some(format!("{login} requested changes")),
        };
        match why {
            None => standing.approvers.push(login),
            Some(why) => standing.discounted.push(why),
        }
    }
    standing
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HEAD: &str = "2222222222222222222222222222222222222222";
    const OLD: &str = "1111111111111111111111111111111111111111";

    fn review(login: &str, state: &str, commit: &str) -> Value {
        json!({"user": {"login": login}, "state": state, "commit_id": commit})
    }

    #[test]
    fn only_the_latest_approval_of_the_head_by_another_user_stands() {
        let reviews = [
            review("mallory", "APPROVED", HEAD),
            review("alice", "APPROVED", HEAD),
            review("bob", "APPROVED", OLD),
            review("carol", "APPROVED", HEAD),
            review("carol", "DISMISSED", HEAD),
            review("dave", "APPROVED", HEAD),
            review("dave", "CHANGES_REQUESTED", HEAD),
            review("erin", "CHANGES_REQUESTED", OLD),
            review("erin", "APPROVED", HEAD),
            review("erin", "COMMENTED", HEAD),
            json!({"state": "APPROVED", "commit_id": HEAD}),
        ];
        let r = standing(&reviews, "Mallory", HEAD);
        assert_eq!(r.approvers, ["alice", "erin"]);
        assert_eq!(
            r.discounted,
            [
                "bob approved an older commit (1111111)",
                "carol's approval was dismissed",
                "dave requested changes",
                "mallory is the pull request's author",
            ]
        );
    }
}
