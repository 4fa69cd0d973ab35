//! The commands the README shows, with their output: run as they are
//! written, so the README cannot drift from what aimsgate prints.

#[test]
fn readme_commands_print_what_the_readme_shows() {
    trycmd::TestCases::new()
        .register_bin("aimsgate", trycmd::cargo::cargo_bin!("aimsgate"))
        .case("README.md");
}
