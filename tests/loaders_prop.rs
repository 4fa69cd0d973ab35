//! The loaders on hostile input: never a panic, and deep nesting or alias
//! bombs end in an error within bounded time.

use aimsgate::load::document::{Document, Format};
use aimsgate::load::format::Limits;
use aimsgate::load::json::parse_json;
use aimsgate::load::markdown::parse_markdown;
use aimsgate::load::toml::parse_toml;
use aimsgate::load::yaml::parse_yaml;
use proptest::prelude::*;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Generous for a debug build on a busy two-core machine; a hang or a
/// quadratic blow-up on 200 000 levels takes far longer.
const BUDGET: Duration = Duration::from_secs(5);

fn file() -> Arc<str> {
    Arc::from("card")
}

fn every_loader(text: &str) {
    let f = file();
    let limits = Limits::default();
    let _ = parse_yaml(text, &f, &limits);
    let _ = parse_json(text, &f, &limits);
    let _ = parse_toml(text, &f, &limits);
    let _ = parse_markdown(text, &f, &limits);
    for format in [Format::Markdown, Format::Yaml, Format::Json, Format::Toml] {
        let doc = Document::parse(f.clone(), format, text, &limits);
        if let Some(e) = doc.error {
            assert!(e.line >= 1 && e.column >= 1, "{format:?}: {e:?}");
        }
    }
}

/// Text built from the characters that drive the parsers' state machines.
fn syntaxy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "[",
        "]",
        "{",
        "}",
        ":",
        ",",
        "- ",
        "\n",
        "  ",
        "\t",
        "\"",
        "'",
        "&a ",
        "*a",
        "!!str ",
        "|",
        ">",
        "#",
        "---\n",
        "...\n",
        "=",
        "[[a]]\n",
        "a = ",
        "key: ",
        "\\",
        "\\u12",
        "1e999",
        "-0",
        "0x1F",
        "true",
        "null",
        "~",
        "é",
        "\u{feff}",
        "\r\n",
        "<<: *a\n",
        "? ",
        "%YAML 1.2\n",
        "# H\n",
        "```\n",
        "> ",
    ]);
    prop::collection::vec(pieces, 0..64).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn loaders_never_panic_on_arbitrary_strings(text in any::<String>()) {
        every_loader(&text);
    }

    #[test]
    fn loaders_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        every_loader(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn loaders_never_panic_on_syntax_soup(text in syntaxy()) {
        every_loader(&text);
        // The same soup as front matter, and as a TOML value.
        every_loader(&format!("---\n{text}\n---\n# Body\n"));
        every_loader(&format!("a = {text}\n"));
    }

    #[test]
    fn positions_of_parsed_values_are_in_the_text(text in syntaxy()) {
        let lines = text.lines().count().max(1) as u32 + 1;
        let f = file();
        let limits = Limits::default();
        for node in [parse_yaml(&text, &f, &limits), parse_json(&text, &f, &limits), parse_toml(&text, &f, &limits)]
            .into_iter()
            .flatten()
        {
            prop_assert!(node.pos.line >= 1 && node.pos.line <= lines, "{:?} in {:?}", node.pos, text);
        }
    }
}

// ---------------------------------------------------------------------------
// Deep nesting: an error, quickly

#[derive(Debug, Clone, Copy)]
enum Loader {
    Yaml,
    Json,
    Toml,
    Markdown,
}

/// Runs a loader; `Ok(())` when it accepted the text.
fn load(loader: Loader, text: &str) -> Result<(), String> {
    let f = file();
    let limits = Limits::default();
    match loader {
        Loader::Yaml => parse_yaml(text, &f, &limits)
            .map(drop)
            .map_err(|e| e.to_string()),
        Loader::Json => parse_json(text, &f, &limits)
            .map(drop)
            .map_err(|e| e.to_string()),
        Loader::Toml => parse_toml(text, &f, &limits)
            .map(drop)
            .map_err(|e| e.to_string()),
        Loader::Markdown => match parse_markdown(text, &f, &limits).front_matter_error {
            Some(e) => Err(e.to_string()),
            None => Ok(()),
        },
    }
}

fn assert_refused_quickly(loader: Loader, what: &str, text: &str) {
    let started = Instant::now();
    let result = load(loader, text);
    let elapsed = started.elapsed();
    assert!(
        result.is_err(),
        "{loader:?} accepted {what} ({} bytes)",
        text.len()
    );
    assert!(elapsed < BUDGET, "{loader:?} took {elapsed:?} on {what}");
}

/// Nesting for each format: (name, loader, text) at `depth` levels.
fn nested(depth: usize) -> Vec<(&'static str, Loader, String)> {
    let open = |s: &str| s.repeat(depth);
    vec![
        ("json [", Loader::Json, open("[")),
        (
            "json [ closed",
            Loader::Json,
            format!("{}{}", open("["), "]".repeat(depth)),
        ),
        (
            "json {",
            Loader::Json,
            format!("{{\"a\":{}", open("{\"a\":")),
        ),
        ("yaml [", Loader::Yaml, format!("a: {}", open("["))),
        (
            "yaml [ closed",
            Loader::Yaml,
            format!("a: {}{}", open("["), "]".repeat(depth)),
        ),
        ("yaml {", Loader::Yaml, format!("a: {}", open("{a: "))),
        ("yaml - ", Loader::Yaml, format!("{}x\n", open("- "))),
        ("yaml indented", Loader::Yaml, {
            let mut s = String::new();
            for i in 0..depth.min(20_000) {
                s.push_str(&" ".repeat(i));
                s.push_str("a:\n");
            }
            s
        }),
        ("toml [", Loader::Toml, format!("a = {}", open("["))),
        (
            "toml [ closed",
            Loader::Toml,
            format!("a = {}{}\n", open("["), "]".repeat(depth)),
        ),
        ("toml {", Loader::Toml, format!("a = {}", open("{b = "))),
        (
            "toml dotted",
            Loader::Toml,
            format!("{} = 1\n", vec!["a"; depth.min(50_000)].join(".")),
        ),
        (
            "front matter [",
            Loader::Markdown,
            format!("---\na: {}\n---\n", open("[")),
        ),
        (
            "front matter {",
            Loader::Markdown,
            format!("---\na: {}\n---\n", open("{a: ")),
        ),
        (
            "front matter - ",
            Loader::Markdown,
            format!("---\na:\n  {}x\n---\n", open("- ")),
        ),
    ]
}

#[test]
fn deep_nesting_is_refused_quickly_10k() {
    for (what, loader, text) in nested(10_000) {
        assert_refused_quickly(loader, what, &text);
    }
}

#[test]
fn deep_nesting_is_refused_quickly_200k() {
    for (what, loader, text) in nested(200_000) {
        assert_refused_quickly(loader, what, &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn deep_nesting_at_any_depth_is_refused(depth in 10_000usize..200_000, which in 0usize..15) {
        let cases = nested(depth);
        let (what, loader, text) = &cases[which % cases.len()];
        assert_refused_quickly(*loader, what, text);
    }
}

#[test]
fn deep_markdown_body_is_bounded() {
    let f = file();
    let limits = Limits::default();
    for (what, body) in [
        ("blockquotes", "> ".repeat(50_000) + "x\n"),
        ("lists", "- ".repeat(50_000) + "x\n"),
        ("emphasis", "*".repeat(100_000) + "x" + &"*".repeat(100_000)),
        ("links", "[".repeat(100_000) + "x" + &"](u)".repeat(100_000)),
        ("headings", "# h\n".repeat(100_000)),
    ] {
        let started = Instant::now();
        let md = parse_markdown(&body, &f, &limits);
        let elapsed = started.elapsed();
        assert!(elapsed < BUDGET, "{what}: took {elapsed:?}");
        if what == "headings" {
            assert_eq!(md.sections.len(), 100_000);
        }
    }
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    let started = Instant::now();
    let result = parse_yaml(&bomb, &file(), &Limits::default());
    let elapsed = started.elapsed();
    assert!(result.is_err(), "a billion laughs was accepted");
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    // The same bomb as front matter.
    let md = parse_markdown(&format!("---\n{bomb}---\n"), &file(), &Limits::default());
    assert!(md.front_matter_error.is_some());
    // A modest use of aliases is fine.
    let ok = parse_yaml("base: &b {x: 1}\nuse: *b\n", &file(), &Limits::default());
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn small_limits_are_enforced() {
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    let f = file();
    assert!(parse_json("[[1]]", &f, &limits).is_ok());
    assert!(parse_yaml("a: [1]", &f, &limits).is_ok());
    assert!(parse_toml("a = [1]", &f, &limits).is_ok());
    assert!(parse_json("[[[[[[1]]]]]]", &f, &limits).is_err());
    assert!(parse_yaml("a: [[[[[[1]]]]]]", &f, &limits).is_err());
    assert!(parse_toml("a = [[[[[[1]]]]]]", &f, &limits).is_err());
}
