//! Inside GitHub Actions (`GITHUB_ACTIONS=true`): annotations in the log, the
//! job summary, step outputs, and on request one pull request comment kept
//! up to date, a check run with every annotation, and a pull request scope.
//!
//! Nothing here changes the gate's verdict: a GitHub call or a step file that
//! fails is a warning (`::warning::`), never exit 2, and never a pass.

pub mod api;
pub mod check_run;
pub mod comment;
pub mod env;
pub mod reviews;
pub mod scope;
pub mod summary;

use crate::finding::Finding;
use crate::governance::approval::Verifier;
use crate::pipeline::{Options, Outcome, Scope};
use crate::report::{Format, OutputSpec};
use api::{Client, Token};
use env::{Env, PullRequest};
use reviews::PullRequestReviews;
use std::cell::OnceCell;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The GitHub options of `aimsgate check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GithubArgs {
    /// In a pull request, check only the systems its changed files touch (from
    /// the event and git, or the GitHub API on a shallow checkout)
    #[arg(long, conflicts_with_all = ["changed_since", "files"])]
    pub changed_only: bool,
    /// Create or update one pull request comment with the report
    #[arg(long)]
    pub github_comment: bool,
    /// Publish a check run, "aimsgate", with every finding as an annotation
    #[arg(long)]
    pub github_check: bool,
    /// GitHub API token for --github-comment, --github-check and --changed-only (never printed)
    #[arg(
        long,
        env = "GITHUB_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub github_token: Option<Token>,
}

/// One `aimsgate check` run's dealings with GitHub.
pub struct Session {
    args: GithubArgs,
    env: Env,
    pull_request: OnceCell<Result<Option<PullRequest>, String>>,
    client: OnceCell<Result<Client, String>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("args", &self.args)
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn new(args: &GithubArgs) -> Session {
        Session::with_env(args, Env::from_process())
    }

    pub fn with_env(args: &GithubArgs, env: Env) -> Session {
        Session {
            args: args.clone(),
            env,
            pull_request: OnceCell::new(),
            client: OnceCell::new(),
        }
    }

    /// Running as a GitHub Actions step.
    pub fn in_actions(&self) -> bool {
        self.env.actions
    }

    /// `--changed-only`: narrows `options.scope` to the pull request's files.
    /// Outside a pull request, or when its files cannot be listed, it warns
    /// and leaves the scope whole: a run never checks less than it should.
    pub fn apply_scope(&self, options: &mut Options) {
        if !self.args.changed_only {
            return;
        }
        let pr = match self.pull_request() {
            Ok(Some(pr)) => pr,
            Ok(None) => {
                self.warn("--changed-only has no effect outside a pull request event; checking every system");
                return;
            }
            Err(e) => {
                self.warn(&format!("--changed-only: {e}; checking every system"));
                return;
            }
        };
        let dir = options
            .roots
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        match scope::changed_files(&self.env, &pr, &dir, &|| self.client()) {
            Ok((files, _)) => options.scope = Scope::Files(files),
            Err(e) => self.warn(&format!("--changed-only: {e}; checking every system")),
        }
    }

    /// What verifies approvals in this run (`--base`): the pull request's
    /// reviews. Anything missing makes a verifier that says what is missing.
    pub fn verifier(&self) -> Verifier {
        match self.reviews() {
            Ok(reviews) => Verifier::new(Box::new(reviews)),
            Err(why) => Verifier::unavailable(why),
        }
    }

    fn reviews(&self) -> Result<PullRequestReviews, String> {
        let pr = self
            .pull_request()?
            .ok_or("this run is not for a pull request event")?;
        let repository = self.repository()?;
        let token = self
            .args
            .github_token
            .as_ref()
            .filter(|t| !t.is_empty())
            .ok_or(
            "no token to read the pull request's reviews (set GITHUB_TOKEN or pass --github-token)",
        )?;
        let client = Client::new(&self.env.api_url, Some(token))?;
        Ok(PullRequestReviews::new(client, repository, pr))
    }

    /// Whether this session prints the step's log instead of the text report.
    pub fn owns_stdout(&self, format: Format) -> bool {
        self.env.actions && format == Format::Text
    }

    /// The step's log in place of the text report: annotations (at most 10 per
    /// type, most severe first), the full report folded in a group, the summary line.
    pub fn write_log(&self, outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
        let left_out = annotations(outcome, out)?;
        let mut text = Vec::new();
        crate::report::text::render(outcome, &mut text, false)?;
        let text = String::from_utf8_lossy(&text);
        let text = text.trim_end_matches('\n');
        let (body, last) = match text.rsplit_once('\n') {
            Some((body, last)) => (body.trim_end_matches('\n'), last),
            None => ("", text),
        };
        if !body.is_empty() {
            let shown = outcome.findings.len();
            writeln!(
                out,
                "::group::aimsgate: {shown} finding{} in full",
                plural(shown)
            )?;
            summary::write_inert(out, body)?;
            writeln!(out, "::endgroup::")?;
        }
        writeln!(out, "{last}")?;
        if left_out > 0 {
            let where_ = if self.env.step_summary.is_some() {
                "the job summary and the group above list them all"
            } else {
                "the group above lists them all"
            };
            writeln!(
                out,
                "aimsgate: {left_out} more finding{} than GitHub shows as annotations in a step; {where_}",
                plural(left_out)
            )?;
        }
        Ok(())
    }

    /// With a format other than text on stdout, the annotations go to stderr
    /// (GitHub reads workflow commands from both), so stdout stays that format.
    pub fn annotate_stderr(&self, format: Format, outcome: &Outcome) {
        if !self.env.actions || format == Format::Text || format == Format::Github {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = annotations(outcome, &mut err);
    }

    /// After the gate: job summary, step outputs, comment, check run.
    /// `failed` is the gate's verdict, which nothing here changes.
    pub fn publish(&self, outcome: &Outcome, failed: bool, outputs: &[OutputSpec]) {
        if self.env.actions {
            if let Some(path) = &self.env.step_summary {
                if let Err(e) = summary::append_step_summary(path, |max| markdown(outcome, max)) {
                    self.warn(&format!("could not write the job summary: {e}"));
                }
            }
            if let Some(path) = &self.env.output {
                let sarif = outputs
                    .iter()
                    .rev()
                    .find(|o| format_name(o.format) == "sarif")
                    .map(|o| o.path.as_path());
                let (text, problems) = summary::outputs(outcome, sarif);
                for p in problems {
                    self.warn(&p);
                }
                if let Err(e) = summary::append(path, &text) {
                    self.warn(&format!("could not write the step outputs: {e}"));
                }
            }
        }
        if self.args.github_comment {
            if let Err(e) = self.comment(outcome) {
                self.warn(&format!("aimsgate could not post the PR comment: {e}"));
            }
        }
        if self.args.github_check {
            if let Err(e) = self.check_run(outcome, failed) {
                self.warn(&format!("aimsgate could not publish the check run: {e}"));
            }
        }
    }

    fn comment(&self, outcome: &Outcome) -> Result<(), String> {
        let Some(pr) = self.pull_request()? else {
            // A workflow that runs on push and pull_request alike: not a problem.
            eprintln!("aimsgate: --github-comment: not a pull request event, no comment posted");
            return Ok(());
        };
        let repository = self.repository()?;
        let client = self.authenticated_client()?;
        let marker = crate::report::markdown::COMMENT_MARKER;
        let body = crate::report::markdown::comment(outcome);
        let posted = comment::upsert(client, repository, pr.number, marker, &body)
            .map_err(|e| e.to_string())?;
        let what = match posted {
            comment::Posted::Created(_) => "created",
            comment::Posted::Updated(_) => "updated",
        };
        eprintln!(
            "aimsgate: {what} the report comment on pull request #{}",
            pr.number
        );
        Ok(())
    }

    fn check_run(&self, outcome: &Outcome, failed: bool) -> Result<(), String> {
        let head_sha = match self.pull_request() {
            Ok(Some(pr)) => pr.head_sha,
            _ => self
                .env
                .sha
                .clone()
                .ok_or("no commit to report on (GITHUB_SHA is not set)")?,
        };
        let repository = self.repository()?;
        let client = self.authenticated_client()?;
        let s = &outcome.summary;
        let run = check_run::CheckRun {
            head_sha,
            conclusion: check_run::conclusion(failed, &outcome.findings),
            title: format!(
                "{} error{}, {} warning{}",
                s.errors,
                plural(s.errors),
                s.warnings,
                plural(s.warnings)
            ),
            summary: markdown(outcome, check_run::MAX_SUMMARY_CHARS),
            annotations: check_run::annotations(&outcome.findings, &|f| self.repo_path(f)),
        };
        let n = run.annotations.len();
        check_run::publish(client, repository, &run).map_err(|e| e.to_string())?;
        eprintln!(
            "aimsgate: published the check run with {n} annotation{}",
            plural(n)
        );
        Ok(())
    }

    fn pull_request(&self) -> Result<Option<PullRequest>, String> {
        self.pull_request
            .get_or_init(|| self.env.pull_request())
            .clone()
    }

    fn repository(&self) -> Result<&str, String> {
        self.env
            .repository
            .as_deref()
            .ok_or_else(|| "GITHUB_REPOSITORY is not set to owner/name".to_string())
    }

    fn client(&self) -> Result<&Client, String> {
        self.client
            .get_or_init(|| Client::new(&self.env.api_url, self.args.github_token.as_ref()))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn authenticated_client(&self) -> Result<&Client, String> {
        let client = self.client()?;
        if client.has_token() {
            Ok(client)
        } else {
            Err("no token (set GITHUB_TOKEN or pass --github-token)".to_string())
        }
    }

    /// A finding's file as a path from the repository root (the workspace),
    /// which is where check run annotations are placed.
    fn repo_path(&self, file: &str) -> String {
        let Some(workspace) = &self.env.workspace else {
            return file.to_string();
        };
        let cwd = std::env::current_dir().unwrap_or_default();
        let real = |p: &Path| {
            p.canonicalize()
                .unwrap_or_else(|_| crate::tree::normalize(p))
        };
        let absolute = real(&cwd.join(file));
        match absolute.strip_prefix(real(workspace)) {
            Ok(rel) => rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => file.to_string(),
        }
    }

    /// One warning line: a workflow command in Actions, plain text elsewhere;
    /// the token never appears in it.
    fn warn(&self, message: &str) {
        let message = match &self.args.github_token {
            Some(t) => t.redact(message),
            None => message.to_string(),
        };
        if self.env.actions {
            eprintln!("::warning::{}", crate::report::github::data(&message));
        } else {
            eprintln!(
                "aimsgate: warning: {}",
                crate::report::escape::terminal(&message, false)
            );
        }
    }
}

/// The annotations GitHub shows (10 per type, most severe first); how many were left out.
fn annotations(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<usize> {
    let per_type = crate::report::github::ANNOTATIONS_PER_TYPE;
    let left: Vec<&Finding> = crate::report::github::render_limited(outcome, out, per_type)?;
    Ok(left.len())
}

/// The Markdown report in at most `max_bytes`.
fn markdown(outcome: &Outcome, max_bytes: usize) -> String {
    crate::report::markdown::render_limited(outcome, max_bytes)
}

fn format_name(format: Format) -> String {
    clap::ValueEnum::to_possible_value(&format)
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
