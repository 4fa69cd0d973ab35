use super::Verdict;
use crate::cli::InitArgs;
use crate::error::Result;
use crate::scaffold;
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: InitArgs) -> Result<Verdict> {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let name = scaffold::name_from_dir(&dir);
    let files = scaffold::render(&dir, &name, args.tier, args.format);
    scaffold::write(&files, args.force)?;

    let ours: Vec<&str> = args.format.file_names().to_vec();
    let others: Vec<&str> = scaffold::OTHER_CARDS
        .iter()
        .copied()
        .filter(|n| !ours.contains(n) && dir.join(n).is_file())
        .collect();
    if !others.is_empty() {
        eprintln!(
            "aimsgate: note: {} also holds {}; a directory has one model card, so keep one of them",
            crate::report::escape::terminal(&dir.display().to_string(), false),
            others.join(", ")
        );
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut lines = Vec::new();
    for f in &files {
        lines.push(format!("wrote {}", f.path.display()));
    }
    lines.push(String::new());
    lines.push(format!(
        "Next: replace every TODO (and the empty owner contact) in these files; they hold what a {} risk system needs. Then run:",
        args.tier.as_str()
    ));
    lines.push(format!("  aimsgate check {}", dir.display()));
    lines.push("It fails until every placeholder is filled in; `aimsgate explain RULE` shows a worked example of each rule.".into());
    // A closed pipe does not undo the files written.
    let _ = writeln!(out, "{}", lines.join("\n"));
    Ok(Verdict::Pass)
}
