//! `aimsgate baseline`: record today's findings so that a legacy repository
//! can adopt the gate and work them down, failing only on new ones.

use super::Verdict;
use crate::cli::BaselineArgs;
use crate::config::Location;
use crate::error::{Error, Result};
use crate::evaluate::baseline::{by_fingerprint, Baseline, Entry};
use crate::pipeline::{BaselineUse, Recorded, Scope};
use std::path::PathBuf;

pub fn run(args: BaselineArgs) -> Result<Verdict> {
    let mut options = super::options(args.scan)?;
    if !matches!(options.scope, Scope::Full) {
        return Err(Error::Usage(
            "aimsgate baseline records every system: drop --files and --changed-since".into(),
        ));
    }
    // Run in a directory of the repository, it records the whole repository.
    options.within = None;
    let due = match &args.due {
        Some(date) => {
            let date = crate::pipeline::parse_date(date)?;
            if date.as_str() <= options.now.as_str() {
                return Err(Error::Usage(format!(
                    "--due {date} is not after today ({}): new entries would fail at once",
                    options.now
                )));
            }
            Some(date)
        }
        None => None,
    };
    let named = match std::mem::take(&mut options.baseline) {
        BaselineUse::File(file) => Some(file),
        _ => None,
    };
    if args.output.is_some() && options.roots.len() > 1 {
        return Err(Error::Usage(
            "--output names one file: record one scan root at a time".into(),
        ));
    }
    options.baseline = BaselineUse::Record(args.output.clone().or(named));
    options.keep_records = true;
    let outcome = crate::pipeline::check(&options)?;
    for recorded in &outcome.recorded {
        let existing = recorded.existing.as_ref();
        let entries = if args.prune {
            let Some(existing) = existing else {
                return Err(Error::Usage(format!(
                    "nothing to prune: {} does not exist",
                    shown(recorded)
                )));
            };
            pruned(existing, recorded)
        } else {
            refreshed(existing, recorded, args.owner.as_deref(), due.as_deref())
        };
        let created = existing.map_or(options.now.as_str(), |b| b.created.as_str());
        let created = if created.is_empty() {
            options.now.as_str()
        } else {
            created
        };
        let before = existing.map_or(0, |b| b.entries.len());
        let baseline = Baseline::new(created, entries);
        write(recorded, &baseline)?;
        let kept = baseline.entries.len();
        println!(
            "aimsgate: wrote {}: {kept} {} ({} before)",
            shown(recorded),
            if kept == 1 { "entry" } else { "entries" },
            before
        );
    }
    Ok(Verdict::Pass)
}

/// Every finding today, keeping the owner and due date of the entries that
/// already held it.
fn refreshed(
    existing: Option<&Baseline>,
    recorded: &Recorded,
    owner: Option<&str>,
    due: Option<&str>,
) -> Vec<Entry> {
    let mut previous = by_fingerprint(existing.map_or(&[], |b| b.entries.as_slice()));
    recorded
        .entries
        .iter()
        .map(|e| {
            let mut entry = e.clone();
            match previous.get_mut(e.fingerprint.as_str()).and_then(Vec::pop) {
                Some((_, was)) => {
                    entry.owner = was.owner.clone();
                    entry.due = was.due.clone();
                }
                None => {
                    entry.owner = owner.map(str::to_string).or_else(|| {
                        e.system
                            .as_ref()
                            .and_then(|s| recorded.owners.get(s))
                            .cloned()
                    });
                    entry.due = due.map(str::to_string);
                }
            }
            entry
        })
        .collect()
}

/// The existing entries that still hold a finding; nothing added.
fn pruned(existing: &Baseline, recorded: &Recorded) -> Vec<Entry> {
    let mut today = by_fingerprint(&recorded.entries);
    existing
        .entries
        .iter()
        .filter(|e| {
            today
                .get_mut(e.fingerprint.as_str())
                .and_then(Vec::pop)
                .is_some()
        })
        .cloned()
        .collect()
}

fn target(recorded: &Recorded) -> PathBuf {
    recorded.root.join(&recorded.file)
}

fn shown(recorded: &Recorded) -> String {
    crate::pipeline::display_path(&recorded.root, &recorded.file)
}

/// Writes the file; never through a symlink out of the repository or over
/// something that is not a regular file.
fn write(recorded: &Recorded, baseline: &Baseline) -> Result<()> {
    let path = target(recorded);
    let tree = crate::tree::Tree::work(&recorded.root)?;
    if let Location::Repo(rel) = Location::of(tree.root(), &path) {
        if let Err(why) = tree.probe(&rel) {
            return Err(Error::Usage(format!(
                "baseline {}: {why}: not written",
                shown(recorded)
            )));
        }
    }
    std::fs::write(&path, baseline.to_json()).map_err(|e| Error::io(&path, e))
}
