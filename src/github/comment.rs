//! `--github-comment`: one pull request comment, found again by a hidden
//! marker and edited in place, so a pull request never collects a comment per push.

use super::api::{ApiResult, Client};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    Created(u64),
    Updated(u64),
}

/// Creates the comment, or updates the one that carries `marker`.
pub fn upsert(
    client: &Client,
    repository: &str,
    number: u64,
    marker: &str,
    body: &str,
) -> ApiResult<Posted> {
    // Who the token is: a personal token can tell (GET /user); an Actions or
    // app installation token cannot (403), and its comments are a bot's.
    let login = client
        .get("/user")
        .ok()
        .and_then(|u| u.get("login").and_then(Value::as_str).map(str::to_string));
    let comments = client.get_all(&format!("/repos/{repository}/issues/{number}/comments"))?;
    let body = json!({ "body": body });
    match find_ours(&comments, marker, login.as_deref()) {
        Some(id) => {
            client.patch(&format!("/repos/{repository}/issues/comments/{id}"), &body)?;
            Ok(Posted::Updated(id))
        }
        None => {
            let created = client.post(
                &format!("/repos/{repository}/issues/{number}/comments"),
                &body,
            )?;
            Ok(Posted::Created(
                created
                    .get("id")
                    .and_then(Value::as_u64)
                    .unwrap_or_default(),
            ))
        }
    }
}

/// The oldest comment that carries the marker and was written by the token's
/// user (by any bot when the user is unknown), so a marker someone pasted
/// into their own comment is not taken over.
pub fn find_ours(comments: &[Value], marker: &str, login: Option<&str>) -> Option<u64> {
    comments
        .iter()
        .filter(|c| {
            c.get("body")
                .and_then(Value::as_str)
                .is_some_and(|b| b.contains(marker))
        })
        .filter(|c| {
            let user = c.get("user");
            match login {
                Some(login) => {
                    user.and_then(|u| u.get("login")).and_then(Value::as_str) == Some(login)
                }
                None => user.and_then(|u| u.get("type")).and_then(Value::as_str) == Some("Bot"),
            }
        })
        .filter_map(|c| c.get("id").and_then(Value::as_u64))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: &str = "<!-- aimsgate -->";

    #[test]
    fn finds_its_own_comment() {
        let comments = vec![
            json!({"id": 5, "body": "hello", "user": {"login": "bot", "type": "Bot"}}),
            json!({"id": 6, "body": format!("{M}\nforged"), "user": {"login": "mallory", "type": "User"}}),
            json!({"id": 9, "body": format!("{M}\nreport"), "user": {"login": "github-actions[bot]", "type": "Bot"}}),
            json!({"id": 8, "body": format!("{M}\nreport"), "user": {"login": "github-actions[bot]", "type": "Bot"}}),
        ];
        assert_eq!(find_ours(&comments, M, None), Some(8));
        assert_eq!(find_ours(&comments, M, Some("mallory")), Some(6));
        assert_eq!(find_ours(&comments, M, Some("alice")), None);
        assert_eq!(find_ours(&comments[..2], M, None), None);
    }
}
