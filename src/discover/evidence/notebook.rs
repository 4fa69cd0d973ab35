//! Jupyter notebooks: the code cells, read as one Python program, with each
//! line mapped back to the line of the `.ipynb` file that holds it.

use super::{python, Scan, Unread};
use jsonc_parser::ast::{ObjectPropName, Value};

pub fn scan(bytes: &[u8]) -> Result<Scan, Unread> {
    let text = std::str::from_utf8(bytes).map_err(|_| Unread::NotNotebook("not UTF-8".into()))?;
    let (program, origin) = code_cells(text)?;
    let mut scan = python::scan(program.as_bytes(), true)?;
    let place = |line: u32, column: u32| -> (u32, u32) {
        match usize::try_from(line)
            .ok()
            .and_then(|l| origin.get(l.wrapping_sub(1)))
        {
            Some(&(raw_line, raw_column)) => (raw_line, raw_column.saturating_add(column)),
            None => (1, 1),
        }
    };
    for (_, line) in &mut scan.imports {
        *line = place(*line, 0).0;
    }
    for call in &mut scan.calls {
        let (line, column) = place(call.line, call.column);
        call.line = line;
        call.column = column;
    }
    Ok(scan)
}

/// The code cells joined into one program, and for each of its lines the
/// line and column in the notebook file where that line's text starts.
fn code_cells(text: &str) -> Result<(String, Vec<(u32, u32)>), Unread> {
    let parsed = jsonc_parser::parse_to_ast(
        text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    )
    .map_err(|e| Unread::NotNotebook(format!("{}", e.kind())))?;
    let Some(Value::Object(root)) = parsed.value else {
        return Err(Unread::NotNotebook("not a JSON object".into()));
    };
    let Some(cells) = root.get_array("cells") else {
        // nbformat 3 keeps cells under worksheets; those are rare and old.
        return Err(Unread::NotNotebook("no cells".into()));
    };
    let starts = line_starts(text);
    let locate = |offset: usize| -> (u32, u32) {
        let line = starts.partition_point(|s| *s <= offset);
        let start = starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count());
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    };
    let mut program = String::new();
    let mut origin: Vec<(u32, u32)> = Vec::new();
    for cell in &cells.elements {
        let Value::Object(cell) = cell else { continue };
        let is_code = cell.properties.iter().any(|p| {
            prop_name(&p.name) == "cell_type"
                && matches!(&p.value, Value::StringLit(s) if s.value == "code")
        });
        if !is_code {
            continue;
        }
        let Some(source) = cell
            .properties
            .iter()
            .find(|p| prop_name(&p.name) == "source")
        else {
            continue;
        };
        let pieces: Vec<(&str, usize)> = match &source.value {
            Value::StringLit(s) => vec![(s.value.as_ref(), s.range.start)],
            Value::Array(a) => a
                .elements
                .iter()
                .filter_map(|e| match e {
                    Value::StringLit(s) => Some((s.value.as_ref(), s.range.start)),
                    _ => None,
                })
                .collect(),
            _ => continue,
        };
        for (piece, offset) in pieces {
            let (line, column) = locate(offset);
            for code_line in piece.split_inclusive('\n') {
                let code = code_line.trim_end_matches(['\n', '\r']);
                let trimmed = code.trim_start();
                // IPython magics and shell escapes are not Python.
                if trimmed.starts_with('%') || trimmed.starts_with('!') {
                    program.push('\n');
                } else {
                    program.push_str(code);
                    program.push('\n');
                }
                origin.push((line, column));
            }
        }
        // A cell ends its statements: the next cell starts at column 0.
        program.push('\n');
        origin.push((origin.last().map_or(1, |o| o.0), 1));
    }
    Ok((program, origin))
}

fn prop_name<'a>(name: &'a ObjectPropName<'_>) -> &'a str {
    name.as_str()
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_map_back_to_the_notebook_file() {
        let nb = r##"{
 "cells": [
  {"cell_type": "markdown", "source": ["# Title\n"]},
  {
   "cell_type": "code",
   "source": [
    "%pip install scikit-learn\n",
    "from sklearn.linear_model import LogisticRegression\n",
    "LogisticRegression().fit(X, y)\n"
   ]
  }
 ]
}"##;
        let (program, origin) = code_cells(nb).expect("parses");
        assert!(program.starts_with("\nfrom sklearn"));
        assert_eq!(origin[1].0, 8);
        assert_eq!(origin[2].0, 9);
    }

    #[test]
    fn not_a_notebook_is_said_so() {
        assert!(matches!(code_cells("[1, 2]"), Err(Unread::NotNotebook(_))));
        assert!(matches!(
            code_cells("{\"a\": 1}"),
            Err(Unread::NotNotebook(_))
        ));
    }
}
