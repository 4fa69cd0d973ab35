//! Who approved a merge request, as GitLab records it. GitLab does not tie
//! an approval to a commit; it removes approvals when commits are pushed if
//! the project says so (`reset_approvals_on_push`). So an approval counts
//! only when that setting is on and the merge request's head is still the
//! commit this pipeline checks.

use crate::github::api::Client;
use crate::governance::approval::{Platform, Reviews};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;

pub struct MergeRequestApprovals {
    client: Client,
    project: String,
    iid: u64,
    head: String,
    /// Approvers' user ids by lower-cased username, for group membership.
    ids: Mutex<HashMap<String, u64>>,
}

impl MergeRequestApprovals {
    pub fn new(client: Client, project: String, iid: u64, head: String) -> MergeRequestApprovals {
        MergeRequestApprovals {
            client,
            project,
            iid,
            head,
            ids: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, path: &str, what: &str) -> Result<Value, String> {
        self.client
            .get(path)
            .map_err(|e| format!("cannot read {what}: {e}"))
    }
}

impl Platform for MergeRequestApprovals {
    fn via(&self) -> &'static str {
        "gitlab-approval"
    }

    fn reviews(&self) -> Result<Reviews, String> {
        let mr_path = format!("/projects/{}/merge_requests/{}", self.project, self.iid);
        let mr = self.get(&mr_path, &format!("merge request !{}", self.iid))?;
        let author = mr
            .pointer("/author/username")
            .and_then(Value::as_str)
            .ok_or("the merge request does not name its author")?
            .to_string();
        let sha = mr.get("sha").and_then(Value::as_str).unwrap_or("");
        if !sha.eq_ignore_ascii_case(&self.head) {
            return Err(format!(
                "the merge request's head is now {}, not the commit this pipeline checks ({}): run the pipeline again",
                short(sha),
                short(&self.head)
            ));
        }
        let settings = self.get(
            &format!("/projects/{}/approvals", self.project),
            "the project's approval settings",
        )?;
        if settings
            .get("reset_approvals_on_push")
            .and_then(Value::as_bool)
            != Some(true)
        {
            return Err("the project keeps approvals when commits are pushed (turn on \"Remove all approvals when commits are added\"), so an approval cannot be tied to the commit checked".into());
        }
        let approvals = self.get(
            &format!("{mr_path}/approvals"),
            &format!("the approvals of merge request !{}", self.iid),
        )?;
        Ok(standing(&approvals, &author, &self.head, &self.ids))
    }

    fn is_member(&self, group: &str, user: &str) -> Result<bool, String> {
        let valid = !group.is_empty()
            && group
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'));
        if !valid {
            return Err(format!("{group:?} is not a group path"));
        }
        let id = self
            .ids
            .lock()
            .ok()
            .and_then(|ids| ids.get(&user.to_ascii_lowercase()).copied());
        let Some(id) = id else {
            return Ok(false);
        };
        let path = format!("/groups/{}/members/all/{id}", group.replace('/', "%2F"));
        match self.client.get(&path) {
            Ok(member) => Ok(member.get("state").and_then(Value::as_str) == Some("active")),
            Err(e) if e.status == Some(404) => Ok(false),
            Err(e) => Err(format!("cannot read the members of @{group}: {e}")),
        }
    }
}

/// `approved_by` of a merge request's approvals, the author's own left out.
fn standing(
    approvals: &Value,
    author: &str,
    head: &str,
    ids: &Mutex<HashMap<String, u64>>,
) -> Reviews {
    let mut reviews = Reviews {
        author: author.to_string(),
        head: head.to_string(),
        ..Reviews::default()
    };
    let users = approvals
        .get("approved_by")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("user"));
    for user in users {
        let Some(name) = user.get("username").and_then(Value::as_str) else {
            continue;
        };
        if name.eq_ignore_ascii_case(author) {
            reviews
                .discounted
                .push(format!("{name} is the merge request's author"));
            continue;
        }
        if let (Some(id), Ok(mut ids)) = (user.get("id").and_then(Value::as_u64), ids.lock()) {
            ids.insert(name.to_ascii_lowercase(), id);
        }
        reviews.approvers.push(name.to_string());
    }
    reviews
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_authors_own_approval_is_left_out() {
        let approvals = json!({"approved_by": [
            {"user": {"username": "Mallory", "id": 1}},
            {"user": {"username": "alice", "id": 2}},
            {"user": {}},
        ]});
        let ids = Mutex::new(HashMap::new());
        let r = standing(&approvals, "mallory", "abc", &ids);
        assert_eq!(r.approvers, ["alice"]);
        assert_eq!(r.discounted, ["Mallory is the merge request's author"]);
        assert_eq!(ids.lock().unwrap().get("alice"), Some(&2));
    }
}
