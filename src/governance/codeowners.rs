//! CODEOWNERS at the base revision, for `[governance] approval =
//! "codeowners"`: a governance change to a file some rule assigns owners is
//! left to branch protection (a code owner must approve before merge).
//!
//! The syntax GitHub and GitLab share: one `pattern owner...` rule a line,
//! gitignore-style patterns, the last matching rule wins, and a rule with no
//! owners leaves the file unowned. GitLab's `[Section]` headers are skipped;
//! its sections' rules then behave as one list.

use ignore::gitignore::{Gitignore, GitignoreBuilder};

#[derive(Debug, Default)]
pub struct Codeowners {
    /// Where the rules came from, for messages.
    pub file: Option<String>,
    rules: Vec<(Gitignore, Vec<String>)>,
}

/// The longest CODEOWNERS file read (GitHub ignores files over 3 MB).
pub const MAX_BYTES: u64 = 3 * 1024 * 1024;

impl Codeowners {
    pub fn parse(file: &str, text: &str) -> Codeowners {
        let mut rules = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix('^').unwrap_or(line);
            if line.starts_with('[') {
                continue;
            }
            let mut words = split_words(line);
            if words.is_empty() {
                continue;
            }
            let pattern = words.remove(0);
            let owners: Vec<String> = words
                .into_iter()
                .take_while(|w| !w.starts_with('#'))
                .collect();
            let mut builder = GitignoreBuilder::new("/");
            if builder.add_line(None, &pattern).is_err() {
                continue;
            }
            if let Ok(matcher) = builder.build() {
                rules.push((matcher, owners));
            }
        }
        Codeowners {
            file: Some(file.to_string()),
            rules,
        }
    }

    /// The owners of `path` (from the top of the repository); empty when no
    /// rule, or an owner-less rule, matches last.
    pub fn owners(&self, path: &str) -> &[String] {
        let full = std::path::PathBuf::from("/").join(path);
        for (matcher, owners) in self.rules.iter().rev() {
            if matcher
                .matched_path_or_any_parents(&full, false)
                .is_ignore()
            {
                return owners;
            }
        }
        &[]
    }
}

/// Words separated by spaces, where `\ ` keeps a space in a pattern.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                word.push(' ');
                chars.next();
            }
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_matching_rule_wins() {
        let owners = Codeowners::parse(
            ".github/CODEOWNERS",
            "# governance\n* @acme/ml\naimsgate.toml @acme/ai-governance\n/policy/ @acme/ai-governance @alice\n**/MODEL_CARD.md @acme/ai-governance # cards\n[Docs]\ndocs/\n",
        );
        assert_eq!(owners.owners("aimsgate.toml"), ["@acme/ai-governance"]);
        assert_eq!(
            owners.owners("policy/x.rego"),
            ["@acme/ai-governance", "@alice"]
        );
        assert_eq!(owners.owners("a/b/MODEL_CARD.md"), ["@acme/ai-governance"]);
        assert_eq!(owners.owners("src/train.py"), ["@acme/ml"]);
        assert!(
            owners.owners("docs/x.md").is_empty(),
            "an owner-less rule unowns"
        );
        assert!(Codeowners::default().owners("x").is_empty());
    }
}
