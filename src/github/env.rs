//! What GitHub Actions tells a step: the `GITHUB_*` variables and the event file.

use serde_json::Value;
use std::path::PathBuf;

/// The API of github.com; `GITHUB_API_URL` names another (GitHub Enterprise Server).
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// The `GITHUB_*` variables aimsgate reads, read once.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `GITHUB_ACTIONS=true`: running as a workflow step.
    pub actions: bool,
    /// `GITHUB_REPOSITORY` as `owner/name`, when it is one.
    pub repository: Option<String>,
    pub event_name: Option<String>,
    pub event_path: Option<PathBuf>,
    /// `GITHUB_SHA`, the commit the workflow runs on.
    pub sha: Option<String>,
    /// `GITHUB_API_URL` without a trailing slash.
    pub api_url: String,
    pub step_summary: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub workspace: Option<PathBuf>,
}

/// The pull request a run is for, from the event file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub number: u64,
    pub base_sha: String,
    pub head_sha: String,
    /// `pull_request.user.login`: whose approval never counts.
    pub author: Option<String>,
}

impl Env {
    /// From the process environment.
    pub fn from_process() -> Env {
        Env::from_vars(|name| std::env::var(name).ok())
    }

    /// From any lookup; empty values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Env {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let path = |name: &str| get(name).map(PathBuf::from);
        Env {
            actions: get("GITHUB_ACTIONS").is_some_and(|v| v.trim() == "true"),
            repository: get("GITHUB_REPOSITORY").filter(|r| valid_repository(r)),
            event_name: get("GITHUB_EVENT_NAME"),
            event_path: path("GITHUB_EVENT_PATH"),
            sha: get("GITHUB_SHA").filter(|s| valid_sha(s)),
            api_url: get("GITHUB_API_URL")
                .map(|u| u.trim().trim_end_matches('/').to_string())
                .unwrap_or_else(|| DEFAULT_API_URL.to_string()),
            step_summary: path("GITHUB_STEP_SUMMARY"),
            output: path("GITHUB_OUTPUT"),
            workspace: path("GITHUB_WORKSPACE"),
        }
    }

    /// The pull request of the triggering event: `Ok(None)` for events that
    /// are not about one (push, schedule...), `Err` when the event file
    /// cannot be read or is not what GitHub writes.
    pub fn pull_request(&self) -> Result<Option<PullRequest>, String> {
        let Some(path) = &self.event_path else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the event file {}: {e}", path.display()))?;
        let event: Value = serde_json::from_str(&text)
            .map_err(|e| format!("the event file {} is not JSON: {e}", path.display()))?;
        pull_request_of(&event)
    }
}

/// `pull_request.{number, base.sha, head.sha}` of an event payload.
pub fn pull_request_of(event: &Value) -> Result<Option<PullRequest>, String> {
    let Some(pr) = event.get("pull_request").filter(|v| v.is_object()) else {
        return Ok(None);
    };
    let number = pr
        .get("number")
        .or_else(|| event.get("number"))
        .and_then(Value::as_u64)
        .ok_or("the event's pull_request has no number")?;
    let sha = |side: &str| -> Result<String, String> {
        pr.get(side)
            .and_then(|s| s.get("sha"))
            .and_then(Value::as_str)
            .filter(|s| valid_sha(s))
            .map(str::to_string)
            .ok_or_else(|| {
                format!("the event's pull_request.{side}.sha is missing or not a commit id")
            })
    };
    Ok(Some(PullRequest {
        number,
        base_sha: sha("base")?,
        head_sha: sha("head")?,
        author: pr
            .get("user")
            .and_then(|u| u.get("login"))
            .and_then(Value::as_str)
            .filter(|login| valid_login(login))
            .map(str::to_string),
    }))
}

/// A full commit id (SHA-1 or SHA-256), so it can go to git as an argument.
pub fn valid_sha(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A GitHub user or organisation name (letters, digits, `-`; a bot's
/// `[bot]` suffix), so it can go into a URL path.
pub fn valid_login(s: &str) -> bool {
    let name = s.strip_suffix("[bot]").unwrap_or(s);
    !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// `owner/name` in the characters GitHub allows, so it can go into a URL path.
pub fn valid_repository(s: &str) -> bool {
    let ok = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    matches!(s.split_once('/'), Some((owner, name)) if ok(owner) && ok(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";

    #[test]
    fn variables() {
        let env = Env::from_vars(|name| {
            match name {
                "GITHUB_ACTIONS" => Some("true"),
                "GITHUB_REPOSITORY" => Some("octo/repo"),
                "GITHUB_API_URL" => Some("https://ghe.example/api/v3/"),
                "GITHUB_SHA" => Some("not-a-sha"),
                "GITHUB_OUTPUT" => Some(""),
                _ => None,
            }
            .map(str::to_string)
        });
        assert!(env.actions);
        assert_eq!(env.repository.as_deref(), Some("octo/repo"));
        assert_eq!(env.api_url, "https://ghe.example/api/v3");
        assert_eq!(env.sha, None);
        assert_eq!(env.output, None);
        assert_eq!(Env::from_vars(|_| None).api_url, DEFAULT_API_URL);
        assert!(!Env::from_vars(|_| None).actions);
    }

    #[test]
    fn repositories() {
        assert!(valid_repository("octo-org/my.repo_1"));
        for bad in [
            "octo", "octo/", "/repo", "o/r/x", "o/..", "o/r?x=1", "o/r#", "o /r",
        ] {
            assert!(!valid_repository(bad), "{bad}");
        }
    }

    #[test]
    fn pull_request_events() {
        let event = json!({"number": 7, "pull_request": {"number": 7, "base": {"sha": A}, "head": {"sha": B}}});
        assert_eq!(
            pull_request_of(&event),
            Ok(Some(PullRequest {
                number: 7,
                base_sha: A.into(),
                head_sha: B.into(),
                author: None,
            }))
        );
        assert_eq!(
            pull_request_of(&json!({"ref": "refs/heads/main"})),
            Ok(None)
        );
        let event = json!({"pull_request": {"number": 7, "user": {"login": "Mallory"}, "base": {"sha": A}, "head": {"sha": B}}});
        let pr = pull_request_of(&event).unwrap().unwrap();
        assert_eq!(pr.author.as_deref(), Some("Mallory"));
        let odd = json!({"pull_request": {"number": 7, "user": {"login": "../x"}, "base": {"sha": A}, "head": {"sha": B}}});
        assert_eq!(pull_request_of(&odd).unwrap().unwrap().author, None);
        let bad = json!({"pull_request": {"number": 7, "base": {"sha": "--output=x"}, "head": {"sha": B}}});
        assert!(pull_request_of(&bad).is_err());
    }
}
