//! Verified approvals under `check --base`: the pull request's reviews
//! (GitHub) and the merge request's approvals (GitLab), mocked on loopback.
//! The change moves a system out of production, a governance change: only a governance
//! approver's approval of the head commit, by someone else, waives it.

mod common;

use common::*;
use serde_json::{json, Value};
use std::process::Command;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghs_aimsgateApprovalSecret0123456789abcdef";
const REPOSITORY: &str = "octo-org/ml-service";
const HEAD: &str = "2222222222222222222222222222222222222222";
const OLDER: &str = "1111111111111111111111111111111111111111";
const REVIEWS: &str = "/repos/octo-org/ml-service/pulls/7/reviews";
const TEAM: &str = "/orgs/octo-org/teams/ai-governance/memberships";

/// A high-risk system in production and a change that moves it back to
/// development, so it no longer needs monitoring; the base names alice and
/// the ai-governance team as approvers.
fn out_of_production() -> Change {
    let mut files = high_risk_files(
        "credit",
        &HIGH_CARD.replace("lifecycle: development", "lifecycle: production"),
    );
    files.push((
        "aimsgate.toml".into(),
        "[governance]\napprovers = [\"alice\", \"@octo-org/ai-governance\"]\n".into(),
    ));
    Change::new(&files, |repo| {
        repo.write("credit/model_card.yaml", HIGH_CARD);
    })
}

/// `check --base` as a pull_request workflow step by mallory runs it.
fn in_actions(change: &Change, api: &str, token: &str) -> (Command, tempfile::TempDir) {
    let step = tempfile::tempdir().expect("temp dir");
    let event = json!({
        "number": 7,
        "pull_request": {
            "number": 7,
            "user": {"login": "mallory"},
            "base": {"sha": change.base},
            "head": {"sha": HEAD},
        },
    });
    std::fs::write(step.path().join("event.json"), event.to_string()).expect("event");
    let mut cmd = change.repo.command(&[
        "check",
        ".",
        "--now",
        NOW,
        "--format",
        "json",
        "--base",
        &change.base,
    ]);
    cmd.env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", step.path().join("event.json"))
        .env("GITHUB_REPOSITORY", REPOSITORY)
        .env("GITHUB_API_URL", api)
        .env("GITHUB_TOKEN", token)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITLAB_CI");
    (cmd, step)
}

/// Runs the binary off the async runtime, so the mock server keeps serving.
async fn run(cmd: (Command, tempfile::TempDir)) -> Run {
    let (mut cmd, step) = cmd;
    let output = tokio::task::spawn_blocking(move || cmd.output().expect("run aimsgate"))
        .await
        .expect("join");
    drop(step);
    let run = Run::from(output);
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token leaked"
    );
    run.expect_json()
}

fn review(login: &str, state: &str, commit: &str) -> Value {
    json!({"user": {"login": login}, "state": state, "commit_id": commit})
}

async fn reviews(server: &MockServer, list: Value) {
    Mock::given(method("GET"))
        .and(path(REVIEWS))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(list))
        .mount(server)
        .await;
}

async fn check(server: &MockServer) -> Run {
    let change = out_of_production();
    run(in_actions(&change, &server.uri(), TOKEN)).await
}

/// The governance-change finding on the card.
fn card_change(run: &Run) -> Value {
    let findings = run.doc()["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    findings
        .into_iter()
        .find(|f| f["rule"] == "governance-change" && f["file"] == "credit/model_card.yaml")
        .unwrap_or_else(|| panic!("no governance change on the card:\n{}", run.describe()))
}

fn assert_stands(run: &Run, why: &str) {
    assert_eq!(run.code, 1, "{}", run.describe());
    let f = card_change(run);
    assert_eq!(f["waived"], false);
    let message = f["message"].as_str().unwrap_or_default();
    assert!(message.contains(why), "{why:?} not in {message}");
}

fn assert_approved_by(run: &Run, by: &str) {
    assert_eq!(run.code, 0, "{}", run.describe());
    let f = card_change(run);
    assert_eq!(f["waived"], true, "{f}");
    assert_eq!(
        f["approval"],
        json!({"by": by, "verified": true, "via": "github-review"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approvers_approval_of_the_head_commit_waives_the_change() {
    let server = MockServer::start().await;
    reviews(&server, json!([review("alice", "APPROVED", HEAD)])).await;
    assert_approved_by(&check(&server).await, "alice");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_author_cannot_approve_their_own_change() {
    let server = MockServer::start().await;
    reviews(&server, json!([review("mallory", "APPROVED", HEAD)])).await;
    assert_stands(
        &check(&server).await,
        "mallory is the pull request's author",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approval_of_an_older_commit_does_not_count() {
    let server = MockServer::start().await;
    reviews(&server, json!([review("alice", "APPROVED", OLDER)])).await;
    assert_stands(&check(&server).await, "alice approved an older commit");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dismissed_approval_does_not_count() {
    let server = MockServer::start().await;
    reviews(
        &server,
        json!([
            review("alice", "APPROVED", HEAD),
            review("alice", "DISMISSED", HEAD)
        ]),
    )
    .await;
    assert_stands(&check(&server).await, "alice's approval was dismissed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewer_outside_the_team_does_not_count() {
    let server = MockServer::start().await;
    reviews(
        &server,
        json!([
            review("bob", "APPROVED", HEAD),
            review("dave", "APPROVED", HEAD)
        ]),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(format!("{TEAM}/bob")))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    // An invitation not yet accepted is not membership.
    Mock::given(method("GET"))
        .and(path(format!("{TEAM}/dave")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"state": "pending"})))
        .mount(&server)
        .await;
    assert_stands(
        &check(&server).await,
        "approved by bob, dave, who are not an approver",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_of_the_approving_team_counts() {
    let server = MockServer::start().await;
    reviews(&server, json!([review("carol", "APPROVED", HEAD)])).await;
    Mock::given(method("GET"))
        .and(path(format!("{TEAM}/carol")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"state": "active", "role": "member"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_approved_by(&check(&server).await, "carol");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_of_reviews_is_read() {
    let server = MockServer::start().await;
    let next = format!(
        "<{}{REVIEWS}?per_page=100&page=2>; rel=\"next\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(REVIEWS))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([review("alice", "APPROVED", HEAD)])),
        )
        .mount(&server)
        .await;
    let first: Vec<Value> = (0..100).map(|_| review("bob", "COMMENTED", HEAD)).collect();
    Mock::given(method("GET"))
        .and(path(REVIEWS))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(first)
                .insert_header("link", next.as_str()),
        )
        .mount(&server)
        .await;
    assert_approved_by(&check(&server).await, "alice");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_failure_fails_closed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(REVIEWS))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"message": "Server Error"})))
        .mount(&server)
        .await;
    assert_stands(
        &check(&server).await,
        "cannot list the reviews of pull request #7",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_is_never_sent_over_plain_http_to_another_host() {
    let change = out_of_production();
    // Refused before any connection: this address is never contacted.
    let run = run(in_actions(&change, "http://api.example.invalid", TOKEN)).await;
    assert_stands(&run, "plain http");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_nothing_is_verified() {
    let server = MockServer::start().await;
    let change = out_of_production();
    let run = run(in_actions(&change, &server.uri(), "")).await;
    assert_stands(&run, "no token to read the pull request's reviews");
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

// GitLab: the merge request, the project's approval settings, its approvals.

const PROJECT: &str = "/api/v4/projects/42";

fn in_gitlab(change: &Change, server: &MockServer) -> (Command, tempfile::TempDir) {
    let step = tempfile::tempdir().expect("temp dir");
    let mut cmd = change.repo.command(&[
        "check",
        ".",
        "--now",
        NOW,
        "--format",
        "json",
        "--base",
        &change.base,
    ]);
    cmd.env_remove("GITHUB_ACTIONS")
        .env("GITLAB_CI", "true")
        .env("CI_API_V4_URL", format!("{}/api/v4", server.uri()))
        .env("CI_PROJECT_ID", "42")
        .env("CI_MERGE_REQUEST_IID", "7")
        .env("CI_COMMIT_SHA", HEAD)
        .env("CI_JOB_TOKEN", TOKEN)
        .env_remove("AIMSGATE_GITLAB_TOKEN");
    (cmd, step)
}

async fn merge_request(server: &MockServer, sha: &str, reset_on_push: bool, approved_by: &[&str]) {
    let json_of = |body: Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("GET"))
        .and(path(format!("{PROJECT}/merge_requests/7")))
        .and(header("job-token", TOKEN))
        .respond_with(json_of(
            json!({"iid": 7, "sha": sha, "author": {"username": "mallory"}}),
        ))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{PROJECT}/approvals")))
        .respond_with(json_of(json!({"reset_approvals_on_push": reset_on_push})))
        .mount(server)
        .await;
    let users: Vec<Value> = approved_by
        .iter()
        .enumerate()
        .map(|(i, name)| json!({"user": {"id": i + 1, "username": name}}))
        .collect();
    Mock::given(method("GET"))
        .and(path(format!("{PROJECT}/merge_requests/7/approvals")))
        .respond_with(json_of(json!({"approved": true, "approved_by": users})))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn gitlab_an_approvers_approval_waives_the_change() {
    let server = MockServer::start().await;
    merge_request(&server, HEAD, true, &["mallory", "alice"]).await;
    let run = run(in_gitlab(&out_of_production(), &server)).await;
    assert_eq!(run.code, 0, "{}", run.describe());
    let f = card_change(&run);
    assert_eq!(
        f["approval"],
        json!({"by": "alice", "verified": true, "via": "gitlab-approval"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn gitlab_approvals_that_survive_a_push_do_not_count() {
    let server = MockServer::start().await;
    merge_request(&server, HEAD, false, &["alice"]).await;
    let run = run(in_gitlab(&out_of_production(), &server)).await;
    assert_stands(&run, "keeps approvals when commits are pushed");
}

#[tokio::test(flavor = "multi_thread")]
async fn gitlab_a_merge_request_that_moved_on_is_not_approved() {
    let server = MockServer::start().await;
    merge_request(&server, OLDER, true, &["alice"]).await;
    let run = run(in_gitlab(&out_of_production(), &server)).await;
    assert_stands(&run, "run the pipeline again");
}

#[tokio::test(flavor = "multi_thread")]
async fn gitlab_the_authors_approval_does_not_count() {
    let server = MockServer::start().await;
    merge_request(&server, HEAD, true, &["mallory"]).await;
    let run = run(in_gitlab(&out_of_production(), &server)).await;
    assert_stands(&run, "mallory is the merge request's author");
}

/// A pull request that adds baseline entries: they hold nothing until a
/// governance approver approves the head commit, then they hold.
#[tokio::test(flavor = "multi_thread")]
async fn an_approved_baseline_addition_holds_an_unapproved_one_does_not() {
    let mut files = high_risk_files("credit", HIGH_CARD);
    files.push((
        "aimsgate.toml".into(),
        "[governance]\napprovers = [\"alice\"]\n".into(),
    ));
    let change = Change::new(&files, |repo| {
        repo.write(
            "credit/model_card.yaml",
            HIGH_CARD.replace("contact: risk-ml@example.com", "contact: the team"),
        );
        let recorded = repo.run(&["baseline", ".", "--now", NOW]);
        assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    });
    let owner_held = |run: &Run| run.rule("owner").iter().all(|f| f.baselined);
    for (reviewer, approved) in [("mallory", false), ("alice", true)] {
        let server = MockServer::start().await;
        reviews(&server, json!([review(reviewer, "APPROVED", HEAD)])).await;
        let run = run(in_actions(&change, &server.uri(), TOKEN)).await;
        let additions = run.at("governance-change", "aimsgate-baseline.json");
        assert!(!additions.is_empty(), "{}", run.describe());
        assert_eq!(
            additions.iter().all(|f| f.waived),
            approved,
            "{reviewer}: {}",
            run.describe()
        );
        assert_eq!(owner_held(&run), approved, "{reviewer}: {}", run.describe());
        assert_eq!(run.code, if approved { 0 } else { 1 }, "{}", run.describe());
    }
}
