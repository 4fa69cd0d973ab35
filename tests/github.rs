//! `aimsgate check` inside GitHub Actions, against a loopback mock of the
//! REST API (wiremock): annotations, job summary, step outputs, the one PR
//! comment, check run batches, a read-only token, and `--changed-only`.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The workflow's token: it must never appear in anything aimsgate prints.
const TOKEN: &str = "ghs_aimsgateTestSecret0123456789abcdefXYZ";
const REPOSITORY: &str = "octo-org/ml-service";
const PR: u64 = 7;
const HEAD_SHA: &str = "2222222222222222222222222222222222222222";
const MERGE_SHA: &str = "3333333333333333333333333333333333333333";
/// A base commit that no fixture repository has: a shallow checkout.
const MISSING_SHA: &str = "1111111111111111111111111111111111111111";
const MARKER: &str = "<!-- aimsgate-comment -->";
const READ_ONLY: &str = "Resource not accessible by integration";

/// A step's files: the event, the job summary and the outputs.
struct Step {
    dir: tempfile::TempDir,
}

impl Step {
    fn new(event: &Value) -> Step {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("event.json"), event.to_string()).expect("event file");
        Step { dir }
    }

    /// A `pull_request` event for PR 7 with these commits.
    fn pull_request(base: &str, head: &str) -> Step {
        Step::new(&json!({
            "action": "synchronize",
            "number": PR,
            "pull_request": {
                "number": PR,
                "base": {"sha": base, "ref": "main"},
                "head": {"sha": head, "ref": "feature"},
            },
            "repository": {"full_name": REPOSITORY},
        }))
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap_or_default()
    }

    /// `aimsgate check . --now NOW ARGS...` as a workflow step runs it.
    fn command(&self, repo: &Path, api: &str, event_name: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.current_dir(repo)
            .args(["check", ".", "--now", NOW])
            .args(args)
            .env_remove("NO_COLOR")
            .env_remove("GITHUB_WORKSPACE")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", event_name)
            .env("GITHUB_EVENT_PATH", self.file("event.json"))
            .env("GITHUB_REPOSITORY", REPOSITORY)
            .env("GITHUB_API_URL", api)
            .env("GITHUB_TOKEN", TOKEN)
            .env("GITHUB_SHA", MERGE_SHA)
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("GITHUB_OUTPUT", self.file("output.txt"));
        cmd
    }
}

/// Runs the binary off the async runtime, so the mock server keeps serving.
async fn run(mut cmd: Command) -> Run {
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("run aimsgate"))
        .await
        .expect("join");
    let run = Run::from(out);
    assert!(
        !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
        "the token was printed\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    run
}

/// `(METHOD, path)` of every request the mock received, in order.
async fn calls(server: &MockServer) -> Vec<(String, String)> {
    requests(server)
        .await
        .iter()
        .map(|r| (r.method.to_string(), r.url.path().to_string()))
        .collect()
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

fn json_of(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).expect("request body is JSON")
}

fn api(p: &str) -> String {
    format!("/repos/{REPOSITORY}{p}")
}

/// A repository with `errors` ML files without a card (one error each) and
/// `warn_cards` minimal-risk cards that state only the basics (five warnings each).
fn noisy_repo(errors: usize, warn_cards: usize) -> Repo {
    let repo = Repo::new();
    for i in 0..errors {
        // A project of its own each (a manifest), so a system each.
        repo.write(&format!("ml/m{i:03}/requirements.txt"), "scikit-learn\n");
        repo.write(&format!("ml/m{i:03}/train.py"), TRAINING);
    }
    for i in 0..warn_cards {
        repo.write(
            &format!("cards/c{i}/model_card.yaml"),
            format!(
                "name: Card {i}\nowner: {{name: Team, contact: team@example.com}}\nrisk:\n  tier: minimal\n  rationale: Sorts internal tickets; no decision about people.\n"
            ),
        );
    }
    repo
}

/// Two minimal-risk systems that pass, `a` and `b`.
fn two_systems() -> Repo {
    Repo::with(&[
        ("a/model_card.yaml", MINIMAL_CARD),
        ("b/model_card.yaml", MINIMAL_CARD),
    ])
}

fn bot() -> Value {
    json!({"login": "github-actions[bot]", "id": 41898282, "type": "Bot"})
}

/// GET /user answers as it does for a workflow token: 403.
async fn mock_user_forbidden(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": READ_ONLY})))
        .mount(server)
        .await;
}

// ---------------------------------------------------------------------------
// The PR comment

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comment_is_created_then_updated_in_place() {
    let repo = noisy_repo(2, 0);
    let step = Step::pull_request(MISSING_SHA, HEAD_SHA);

    // First run: no comment yet, so one is created.
    let server = MockServer::start().await;
    mock_user_forbidden(&server).await;
    Mock::given(method("GET"))
        .and(path(api(&format!("/issues/{PR}/comments"))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 1, "body": "LGTM", "user": {"login": "alice", "type": "User"}}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(api(&format!("/issues/{PR}/comments"))))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 500, "body": "x"})))
        .expect(1)
        .mount(&server)
        .await;
    let first = run(step.command(
        repo.path(),
        &server.uri(),
        "pull_request",
        &["--github-comment"],
    ))
    .await;
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(!first.stderr.contains("::warning::"), "{}", first.stderr);
    let reqs = requests(&server).await;
    let post = reqs
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .expect("a POST");
    assert_eq!(post.url.path(), api(&format!("/issues/{PR}/comments")));
    let body = json_of(post)["body"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(body.starts_with(MARKER), "{body}");
    assert!(body.contains("ml/m000/train.py"), "{body}");
    assert_eq!(
        post.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(reqs.iter().all(|r| r.method.as_str() != "PATCH"));
    server.verify().await;

    // Second run: the marker comment exists (on page 2 of the list), by the
    // bot; a forged one by someone else comes first and is left alone.
    let server = MockServer::start().await;
    mock_user_forbidden(&server).await;
    let comments = api(&format!("/issues/{PR}/comments"));
    Mock::given(method("GET"))
        .and(path(comments.clone()))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    format!(
                        "<{}{comments}?per_page=100&page=2>; rel=\"next\", <{}{comments}?per_page=100&page=2>; rel=\"last\"",
                        server.uri(),
                        server.uri()
                    )
                    .as_str(),
                )
                .set_body_json(json!([
                    {"id": 3, "body": format!("{MARKER} forged"), "user": {"login": "mallory", "type": "User"}},
                ])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(comments.clone()))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 500, "body": format!("{MARKER}\nold report"), "user": bot()},
        ])))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(api("/issues/comments/500")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 500})))
        .expect(1)
        .mount(&server)
        .await;
    let second = run(step.command(
        repo.path(),
        &server.uri(),
        "pull_request",
        &["--github-comment"],
    ))
    .await;
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(!second.stderr.contains("::warning::"), "{}", second.stderr);
    let reqs = requests(&server).await;
    assert!(
        reqs.iter().all(|r| r.method.as_str() != "POST"),
        "{:?}",
        calls(&server).await
    );
    let patch = reqs
        .iter()
        .find(|r| r.method.as_str() == "PATCH")
        .expect("a PATCH");
    let body = json_of(patch)["body"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(body.contains(MARKER), "{body}");
    assert!(!body.contains("old report"));
    server.verify().await;
}

// ---------------------------------------------------------------------------
// The check run

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_run_carries_every_annotation_in_batches_of_50() {
    let repo = noisy_repo(120, 0);
    let step = Step::pull_request(MISSING_SHA, HEAD_SHA);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api("/check-runs")))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": 4242, "name": "aimsgate"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(api("/check-runs/4242")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 4242})))
        .expect(2)
        .mount(&server)
        .await;
    let out = run(step.command(
        repo.path(),
        &server.uri(),
        "pull_request",
        &["--github-check"],
    ))
    .await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stderr.contains("::warning::"), "{}", out.stderr);
    server.verify().await;

    let reqs = requests(&server).await;
    let methods: Vec<&str> = reqs.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["POST", "PATCH", "PATCH"]);
    let bodies: Vec<Value> = reqs.iter().map(json_of).collect();
    let create = &bodies[0];
    assert_eq!(create["name"], "aimsgate");
    assert_eq!(
        create["head_sha"], HEAD_SHA,
        "the PR head, not the merge commit"
    );
    assert_eq!(create["status"], "completed");
    assert_eq!(create["conclusion"], "failure");
    assert!(create["output"]["title"]
        .as_str()
        .is_some_and(|t| t.contains("120 errors")));
    assert!(create["output"]["summary"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    let sizes: Vec<usize> = bodies
        .iter()
        .map(|b| b["output"]["annotations"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [50, 50, 20]);
    let mut paths: Vec<String> = bodies
        .iter()
        .flat_map(|b| {
            b["output"]["annotations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|a| {
            assert_eq!(a["annotation_level"], "failure");
            assert_eq!(a["title"], "model-card-missing");
            assert_eq!(a["start_line"], 3);
            assert_eq!(a["end_line"], 3);
            assert!(a["message"]
                .as_str()
                .is_some_and(|m| m.contains("model card")));
            a["path"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 120, "every finding annotated once");
    assert!(paths.contains(&"ml/m119/train.py".to_string()));
    for b in &bodies[1..] {
        assert!(
            b["output"]["summary"].is_string(),
            "updates keep output.summary: {b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_run_of_a_passing_gate_succeeds() {
    let repo = two_systems();
    let step = Step::new(&json!({"ref": "refs/heads/main"}));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api("/check-runs")))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    let out = run(step.command(repo.path(), &server.uri(), "push", &["--github-check"])).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1);
    let create = json_of(&reqs[0]);
    assert_eq!(
        create["head_sha"], MERGE_SHA,
        "GITHUB_SHA outside a pull request"
    );
    assert_eq!(create["conclusion"], "success");
    assert!(create["output"].get("annotations").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_run_paths_are_from_the_repository_root() {
    // `working-directory: svc`: findings name `ml/...`, GitHub wants `svc/ml/...`.
    let repo = Repo::new();
    repo.write("svc/ml/m1/train.py", TRAINING);
    let step = Step::new(&json!({"ref": "refs/heads/main"}));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(api("/check-runs")))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    let mut cmd = step.command(
        &repo.path().join("svc"),
        &server.uri(),
        "push",
        &["--github-check", "--github-comment"],
    );
    cmd.env("GITHUB_WORKSPACE", repo.path());
    let out = run(cmd).await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("ml/m1/train.py:3:1: error"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stderr.contains("::warning::"),
        "push: no comment, no warning: {}",
        out.stderr
    );
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1, "{:?}", calls(&server).await);
    let annotation = &json_of(&reqs[0])["output"]["annotations"][0];
    assert_eq!(annotation["path"], "svc/ml/m1/train.py");
}

// ---------------------------------------------------------------------------
// A read-only token (pull requests from forks) and other API failures

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_token_warns_and_the_findings_decide() {
    let server = MockServer::start().await;
    mock_user_forbidden(&server).await;
    Mock::given(method("GET"))
        .and(path(api(&format!("/issues/{PR}/comments"))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    for p in [api(&format!("/issues/{PR}/comments")), api("/check-runs")] {
        Mock::given(method("POST"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(403).set_body_json(json!({
                "message": READ_ONLY,
                "documentation_url": "https://docs.github.com/rest"
            })))
            .mount(&server)
            .await;
    }
    let step = Step::pull_request(MISSING_SHA, HEAD_SHA);
    let flags = ["--github-comment", "--github-check"];

    // A failing gate stays failing.
    let failing = noisy_repo(3, 0);
    let out = run(step.command(failing.path(), &server.uri(), "pull_request", &flags)).await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    let warnings: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("::warning::"))
        .collect();
    assert_eq!(
        warnings,
        [
            "::warning::aimsgate could not post the PR comment: the token is read-only (fork pull request?)",
            "::warning::aimsgate could not publish the check run: the token is read-only (fork pull request?)",
        ],
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("aimsgate: error"), "{}", out.stderr);

    // A passing gate stays passing: an API failure is not a tool error.
    let passing = two_systems();
    let out = run(step.command(passing.path(), &server.uri(), "pull_request", &flags)).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("::warning::").count(),
        2,
        "{}",
        out.stderr
    );
    // The step files are still written.
    assert!(step.read("output.txt").contains("errors=0\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_never_leak_the_token() {
    let server = MockServer::start().await;
    // A server that echoes the credentials back, and one that is down.
    Mock::given(method("POST"))
        .and(path(api("/check-runs")))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "message": format!("Bad credentials: Bearer {TOKEN}")
        })))
        .mount(&server)
        .await;
    let step = Step::pull_request(MISSING_SHA, HEAD_SHA);
    let repo = noisy_repo(1, 0);
    let out = run(step.command(
        repo.path(),
        &server.uri(),
        "pull_request",
        &["--github-check"],
    ))
    .await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "::warning::aimsgate could not publish the check run: the token was rejected"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("***"), "{}", out.stderr);

    // Nothing listens on the API URL: a warning, same verdict.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", listener.local_addr().expect("addr"))
    };
    let out = run(step.command(repo.path(), &closed, "pull_request", &["--github-comment"])).await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("::warning::aimsgate could not post the PR comment"),
        "{}",
        out.stderr
    );

    // No token at all.
    let mut cmd = step.command(
        repo.path(),
        &server.uri(),
        "pull_request",
        &["--github-comment"],
    );
    cmd.env_remove("GITHUB_TOKEN");
    let out = run(cmd).await;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("no token"), "{}", out.stderr);
}

#[test]
fn help_and_usage_errors_never_show_the_token() {
    let repo = two_systems();
    for args in [
        vec!["check", "--help"],
        vec!["check", "--github-token", TOKEN, "--no-such-flag"],
        vec!["check", "--github-token", TOKEN, "--github-token", TOKEN],
    ] {
        let out = repo
            .command(&args)
            .env("GITHUB_TOKEN", TOKEN)
            .output()
            .expect("run");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(TOKEN), "{args:?} printed the token:\n{all}");
    }
}

// ---------------------------------------------------------------------------
// Annotations, job summary, outputs

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn annotations_are_capped_at_10_per_type_and_the_summary_has_all() {
    let repo = noisy_repo(12, 3);
    let step = Step::pull_request(MISSING_SHA, HEAD_SHA);
    std::fs::write(step.file("summary.md"), "# Earlier step output\n").expect("write");
    std::fs::write(step.file("output.txt"), "earlier=1\n").expect("write");
    let server = MockServer::start().await;
    let out = run(step.command(
        repo.path(),
        &server.uri(),
        "pull_request",
        &["--output", "sarif=aimsgate.sarif"],
    ))
    .await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(requests(&server).await.is_empty(), "no flags, no API calls");

    // Outside the inert group: 10 errors and 10 warnings, errors first.
    let commands: Vec<&str> = out
        .stdout
        .lines()
        .take_while(|l| !l.starts_with("::group::"))
        .collect();
    let errors = commands
        .iter()
        .filter(|l| l.starts_with("::error "))
        .count();
    let warnings = commands
        .iter()
        .filter(|l| l.starts_with("::warning "))
        .count();
    assert_eq!((errors, warnings), (10, 10), "{}", out.stdout);
    assert!(commands[..10].iter().all(|l| l.starts_with("::error ")));
    // The full text report, folded, with commands off, then the summary line.
    assert!(out.stdout.contains("::stop-commands::"), "{}", out.stdout);
    assert!(out
        .stdout
        .contains("ml/m011/train.py:3:1: error[model-card-missing]"));
    assert!(out
        .stdout
        .contains("aimsgate: failed: 3 systems checked, 12 errors, 15 warnings, 0 waived"));
    assert!(out.stdout.contains("7 more findings"), "{}", out.stdout);

    let summary = step.read("summary.md");
    assert!(
        summary.starts_with("# Earlier step output\n"),
        "appended, not replaced"
    );
    assert!(summary.contains("aimsgate"), "{summary}");
    for i in 0..12 {
        assert!(
            summary.contains(&format!("m{i:03}/train.py")),
            "m{i:03} missing from the summary"
        );
    }
    assert_eq!(
        step.read("output.txt"),
        "earlier=1\nerrors=12\nwarnings=15\nnotes=0\nwaived=0\nbaselined=0\nsystems=3\nsarif=aimsgate.sarif\n"
    );
    assert!(repo.path().join("aimsgate.sarif").is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_formats_keep_stdout_and_annotate_on_stderr() {
    let repo = noisy_repo(2, 0);
    let step = Step::pull_request(MISSING_SHA, HEAD_SHA);
    let server = MockServer::start().await;
    let out = run(step.command(
        repo.path(),
        &server.uri(),
        "pull_request",
        &["--format", "json"],
    ))
    .await;
    assert_eq!(out.code, 1);
    let doc: Value = serde_json::from_str(&out.stdout).expect("stdout is the JSON report");
    assert_eq!(doc["summary"]["errors"], 2);
    assert_eq!(out.stderr.matches("::error ").count(), 2, "{}", out.stderr);
    assert!(step.read("output.txt").contains("errors=2\n"));
    assert!(!step.read("output.txt").contains("sarif="));
}

#[test]
fn outside_actions_nothing_changes() {
    let repo = noisy_repo(1, 0);
    let mut cmd = repo.command(&["check", ".", "--now", NOW]);
    cmd.env_remove("GITHUB_ACTIONS")
        .env("GITHUB_STEP_SUMMARY", repo.path().join("summary.md"));
    let run = Run::from(cmd.output().expect("run"));
    assert_eq!(run.code, 1);
    assert!(!repo.path().join("summary.md").exists());
    assert!(!run.stdout.contains("::error"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------
// --changed-only

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Systems `a` and `b` committed on main; a head commit that changes only `a`.
fn pr_repo() -> (Repo, String, String) {
    let repo = two_systems();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    let base = git(repo.path(), &["rev-parse", "HEAD"]);
    repo.write("a/model_card.yaml", format!("{MINIMAL_CARD}# tuned\n"));
    git(repo.path(), &["commit", "-q", "-am", "change a"]);
    let head = git(repo.path(), &["rev-parse", "HEAD"]);
    (repo, base, head)
}

fn system_ids(run: &Run) -> Vec<String> {
    let doc: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    doc["systems"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_only_reads_the_pull_request_from_git() {
    let (repo, base, head) = pr_repo();
    let step = Step::pull_request(&base, &head);
    let server = MockServer::start().await;
    let args = ["--changed-only", "--format", "json"];
    let out = run(step.command(repo.path(), &server.uri(), "pull_request", &args)).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(system_ids(&out), ["a"]);
    assert!(requests(&server).await.is_empty(), "git had both commits");
    assert!(!out.stderr.contains("::warning::"), "{}", out.stderr);
    assert!(step.read("output.txt").contains("systems=1\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_only_on_a_shallow_checkout_asks_the_files_api() {
    let (repo, _base, head) = pr_repo();
    let step = Step::pull_request(MISSING_SHA, &head);
    let server = MockServer::start().await;
    let files = api(&format!("/pulls/{PR}/files"));
    Mock::given(method("GET"))
        .and(path(files.clone()))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    format!(
                        "<{}{files}?per_page=100&page=2>; rel=\"next\"",
                        server.uri()
                    )
                    .as_str(),
                )
                .set_body_json(json!([
                    {"filename": "README.md", "status": "modified"}
                ])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(files.clone()))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"filename": "b/model_card.yaml", "status": "modified"},
            {"filename": "../outside.md", "status": "added"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let args = ["--changed-only", "--format", "json"];
    let out = run(step.command(repo.path(), &server.uri(), "pull_request", &args)).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(system_ids(&out), ["b"], "from the API, not from git");
    server.verify().await;
    let reqs = requests(&server).await;
    assert!(reqs
        .iter()
        .all(|r| r.method.as_str() == "GET" && r.url.path() == files));
    assert_eq!(reqs[0].url.query(), Some("per_page=100"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_only_checks_everything_when_it_cannot_tell() {
    let (repo, _base, head) = pr_repo();
    let server = MockServer::start().await;
    let args = ["--changed-only", "--format", "json"];

    // Not a pull request: a no-op with a warning.
    let push = Step::new(&json!({"ref": "refs/heads/main", "after": head}));
    let out = run(push.command(repo.path(), &server.uri(), "push", &args)).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(system_ids(&out), ["a", "b"]);
    assert!(
        out.stderr
            .contains("::warning::--changed-only has no effect outside a pull request event"),
        "{}",
        out.stderr
    );

    // A shallow checkout and the files API fails: everything, with a warning.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    let step = Step::pull_request(MISSING_SHA, &head);
    let out = run(step.command(repo.path(), &server.uri(), "pull_request", &args)).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(system_ids(&out), ["a", "b"]);
    assert!(
        out.stderr
            .contains("cannot list the pull request's files: the API answered 404: Not Found"),
        "{}",
        out.stderr
    );
}

#[test]
fn changed_only_conflicts_with_other_scopes() {
    let repo = two_systems();
    repo.run(&["check", ".", "--changed-only", "--changed-since", "HEAD"])
        .assert_tool_error(&["--changed-only"]);
}
