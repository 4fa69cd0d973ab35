//! The AI bill of materials of a system, as its code shows it: the models
//! it names (`from_pretrained("bert-base-uncased")`, `model="gpt-4o"`) and
//! the hosted-model providers whose clients it calls.

use super::evidence::{CallKind, FileEvidence};
use serde::Serialize;

/// A model the code names, at its first use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelUse {
    pub model: String,
    /// For a hosted model: who serves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub library: String,
    /// `loading` (weights the code loads) or `hosted` (a model it calls).
    pub kind: CallKind,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// A hosted-model provider whose client the code calls, at its first call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderUse {
    pub provider: String,
    pub library: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AiBom {
    pub models: Vec<ModelUse>,
    pub providers: Vec<ProviderUse>,
}

impl AiBom {
    /// The same, with every file named by `name` (as findings name it).
    pub fn renamed(mut self, name: impl Fn(&str) -> String) -> AiBom {
        for m in &mut self.models {
            m.file = name(&m.file);
        }
        for p in &mut self.providers {
            p.file = name(&p.file);
        }
        self
    }

    /// What `files` (sorted by path) name, each model and provider once.
    pub fn of(files: &[FileEvidence]) -> AiBom {
        let mut bom = AiBom::default();
        for file in files {
            for call in &file.calls {
                if let Some(provider) = &call.provider {
                    if !bom.providers.iter().any(|p| &p.provider == provider) {
                        bom.providers.push(ProviderUse {
                            provider: provider.clone(),
                            library: call.library.clone(),
                            file: file.file.clone(),
                            line: call.line,
                            column: call.column,
                        });
                    }
                }
                let Some(model) = call.model.as_deref().filter(|m| is_model_id(m)) else {
                    continue;
                };
                if !matches!(call.kind, CallKind::Loading | CallKind::Hosted) {
                    continue;
                }
                if bom.models.iter().any(|m| m.model == model) {
                    continue;
                }
                bom.models.push(ModelUse {
                    model: model.to_string(),
                    provider: call.provider.clone(),
                    library: call.library.clone(),
                    kind: call.kind,
                    file: file.file.clone(),
                    line: call.line,
                    column: call.column,
                });
            }
        }
        bom
    }
}

/// Whether a literal names a model someone else publishes or serves
/// (`bert-base-uncased`, `meta-llama/Llama-3.1-8B`, `gpt-4o`), not a
/// local path or file the repository holds (`./checkpoints/best`, `model.pt`).
pub fn is_model_id(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return false;
    }
    if s.starts_with(['.', '/', '~']) || s.contains('\\') || s.contains("://") || s.contains('{') {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '@'))
    {
        return false;
    }
    let last = s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
    let file_like = last.rsplit_once('.').is_some_and(|(_, ext)| {
        matches!(
            ext,
            "pt" | "pth"
                | "bin"
                | "ckpt"
                | "onnx"
                | "safetensors"
                | "h5"
                | "pkl"
                | "joblib"
                | "json"
                | "yaml"
                | "yml"
                | "txt"
                | "gguf"
                | "tflite"
                | "keras"
                | "model"
                | "npz"
        )
    });
    !file_like && s.chars().any(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ids_and_local_paths() {
        for id in [
            "bert-base-uncased",
            "meta-llama/Llama-3.1-8B-Instruct",
            "gpt-4o-mini",
            "anthropic.claude-3-haiku-20240307-v1:0",
            "en_core_web_sm",
            "ViT-B/32",
        ] {
            assert!(is_model_id(id), "{id}");
        }
        for path in [
            "./checkpoints/best",
            "/models/x",
            "model.pt",
            "weights/pytorch_model.bin",
            "config.json",
            "{name}",
            "",
            "1234",
            "s3://bucket/m",
        ] {
            assert!(!is_model_id(path), "{path}");
        }
    }
}
