//! Inside GitLab CI (`GITLAB_CI=true`): who approved the merge request a
//! pipeline runs for, so `--base` can verify an exception's approval.

pub mod approvals;

use crate::github::api::{Client, Token};
use crate::governance::approval::Verifier;
use approvals::MergeRequestApprovals;

/// The `CI_*` variables aimsgate reads, read once.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `GITLAB_CI=true`: running as a GitLab CI job.
    pub ci: bool,
    pub api_url: Option<String>,
    pub project_id: Option<String>,
    pub merge_request_iid: Option<u64>,
    /// The merge request's head: `CI_MERGE_REQUEST_SOURCE_BRANCH_SHA` in a
    /// merged results pipeline, else `CI_COMMIT_SHA`.
    pub head_sha: Option<String>,
    /// `AIMSGATE_GITLAB_TOKEN`, sent as `PRIVATE-TOKEN`.
    pub token: Option<Token>,
    /// `CI_JOB_TOKEN`, sent as `JOB-TOKEN` when there is no other token.
    pub job_token: Option<Token>,
}

impl Env {
    pub fn from_process() -> Env {
        Env::from_vars(|name| std::env::var(name).ok())
    }

    /// From any lookup; empty values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Env {
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let sha = |name: &str| get(name).filter(|s| crate::github::env::valid_sha(s));
        Env {
            ci: get("GITLAB_CI").is_some_and(|v| v == "true"),
            api_url: get("CI_API_V4_URL").map(|u| u.trim_end_matches('/').to_string()),
            project_id: get("CI_PROJECT_ID").filter(|id| id.bytes().all(|b| b.is_ascii_digit())),
            merge_request_iid: get("CI_MERGE_REQUEST_IID").and_then(|iid| iid.parse().ok()),
            head_sha: sha("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA").or_else(|| sha("CI_COMMIT_SHA")),
            token: get("AIMSGATE_GITLAB_TOKEN").map(Token::new),
            job_token: get("CI_JOB_TOKEN").map(Token::new),
        }
    }

    /// What verifies approvals in this job: the merge request's approvals.
    pub fn verifier(&self) -> Verifier {
        match self.approvals() {
            Ok(approvals) => Verifier::new(Box::new(approvals)),
            Err(why) => Verifier::unavailable(why),
        }
    }

    fn approvals(&self) -> Result<MergeRequestApprovals, String> {
        let iid = self
            .merge_request_iid
            .ok_or("this pipeline is not for a merge request (CI_MERGE_REQUEST_IID is not set)")?;
        let project = self
            .project_id
            .clone()
            .ok_or("CI_PROJECT_ID is not set to a project id")?;
        let api_url = self.api_url.as_deref().ok_or("CI_API_V4_URL is not set")?;
        let head = self
            .head_sha
            .clone()
            .ok_or("neither CI_MERGE_REQUEST_SOURCE_BRANCH_SHA nor CI_COMMIT_SHA names a commit")?;
        let client =
            match (&self.token, &self.job_token) {
                (Some(token), _) => Client::with_header(api_url, "private-token", token)?,
                (None, Some(token)) => Client::with_header(api_url, "job-token", token)?,
                (None, None) => return Err(
                    "no token to read the merge request's approvals (set AIMSGATE_GITLAB_TOKEN)"
                        .into(),
                ),
            };
        Ok(MergeRequestApprovals::new(client, project, iid, head))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables() {
        let env = Env::from_vars(|name| {
            match name {
                "GITLAB_CI" => Some("true"),
                "CI_API_V4_URL" => Some("https://gitlab.example/api/v4/"),
                "CI_PROJECT_ID" => Some("42"),
                "CI_MERGE_REQUEST_IID" => Some("7"),
                "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA" => Some(""),
                "CI_COMMIT_SHA" => Some("2222222222222222222222222222222222222222"),
                "CI_JOB_TOKEN" => Some("job-secret-1234"),
                _ => None,
            }
            .map(str::to_string)
        });
        assert!(env.ci);
        assert_eq!(
            env.api_url.as_deref(),
            Some("https://gitlab.example/api/v4")
        );
        assert_eq!(env.merge_request_iid, Some(7));
        assert_eq!(
            env.head_sha.as_deref(),
            Some("2222222222222222222222222222222222222222")
        );
        assert!(format!("{env:?}").contains("***"));
        assert!(!format!("{env:?}").contains("job-secret"));
        let outside = Env::from_vars(|_| None);
        assert!(!outside.ci);
        assert!(outside
            .approvals()
            .err()
            .is_some_and(|e| e.contains("not for a merge request")));
    }
}
