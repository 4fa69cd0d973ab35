//! Small repositories in the patterns of the development set (docs/discovery.md,
//! "Measured on real repositories"): each asserts the systems a person
//! would name, and nothing else.

mod common;

use common::*;

/// (file, line) of each model-card-missing finding; and every error or warning.
fn judged(repo: &Repo) -> (Vec<(String, u64)>, Vec<String>) {
    let run = repo.check(&[]);
    let mut missing: Vec<(String, u64)> = run
        .rule("model-card-missing")
        .into_iter()
        .map(|f| (f.file, f.line))
        .collect();
    missing.sort();
    let loud: Vec<String> = run
        .findings()
        .into_iter()
        .filter(|f| f.severity == "error" || f.severity == "warning")
        .map(|f| format!("{}:{} {}", f.file, f.line, f.rule))
        .collect();
    (missing, loud)
}

const GPT_MODEL: &str = "import math\nimport torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n\n\nclass CausalSelfAttention(nn.Module):\n    pass\n\n\nclass GPT(nn.Module):\n    def configure_optimizers(self, weight_decay, learning_rate):\n        return torch.optim.AdamW(self.parameters(), lr=learning_rate)\n";

/// nanoGPT: a training script, a sampling script, a model file, and config
/// files that are plain assignments (`config/train_gpt2.py`): one system.
#[test]
fn a_nanogpt_like_repository_is_one_system() {
    let repo = Repo::with(&[
        ("model.py", GPT_MODEL),
        (
            "train.py",
            "import os\nimport torch\nfrom model import GPT\n\nbatch_size = 12\nexec(open('configurator.py').read())\nmodel = GPT(conf)\noptimizer = model.configure_optimizers(1e-1, 6e-4)\nwhile True:\n    loss = model(X, Y)\n    loss.backward()\n    optimizer.step()\n    torch.save(checkpoint, os.path.join(out_dir, 'ckpt.pt'))\n",
        ),
        (
            "sample.py",
            "import torch\nfrom model import GPT\ncheckpoint = torch.load(ckpt_path, map_location=device)\nmodel = GPT.from_pretrained(init_from)\n",
        ),
        ("config/train_gpt2.py", "wandb_log = True\nbatch_size = 12\nmax_iters = 600000\n"),
        ("config/finetune_shakespeare.py", "init_from = 'gpt2-xl'\nlearning_rate = 3e-5\n"),
        ("configurator.py", "import sys\nfor arg in sys.argv[1:]:\n    exec(open(arg).read())\n"),
        ("data/shakespeare/prepare.py", "import tiktoken\nimport numpy as np\nenc = tiktoken.get_encoding('gpt2')\n"),
    ]);
    let (missing, loud) = judged(&repo);
    assert_eq!(missing, [("sample.py".to_string(), 3)], "{loud:?}");
    assert_eq!(loud.len(), 1, "{loud:?}");
    let run = repo.check(&[]);
    let message = &run.rule("model-card-missing")[0].message;
    assert!(
        message.contains("train.py (imports torch; trains with loss.backward at 11"),
        "{message}"
    );
    assert!(!message.contains("config/"), "{message}");
}

/// minGPT: a package with a Trainer, projects that train with it, demo
/// notebooks at the root: one system, at the project.
#[test]
fn a_mingpt_like_repository_is_one_system() {
    let repo = Repo::with(&[
        ("setup.py", "from setuptools import setup\nsetup(name='minGPT', packages=['mingpt'], install_requires=['torch'])\n"),
        ("mingpt/__init__.py", ""),
        ("mingpt/model.py", GPT_MODEL),
        (
            "mingpt/trainer.py",
            "import torch\n\nclass Trainer:\n    def run(self):\n        self.optimizer = model.configure_optimizers(config)\n        while True:\n            self.loss.backward()\n            self.optimizer.step()\n",
        ),
        (
            "projects/adder/adder.py",
            "from mingpt.model import GPT\nfrom mingpt.trainer import Trainer\n\nif __name__ == '__main__':\n    trainer = Trainer(config.trainer, model, train_dataset)\n    trainer.run()\n",
        ),
        ("generate.ipynb", "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"from transformers import GPT2Tokenizer\\n\", \"tokenizer = GPT2Tokenizer.from_pretrained('gpt2')\\n\"]}], \"nbformat\": 4}"),
    ]);
    let (missing, loud) = judged(&repo);
    assert_eq!(missing.len(), 1, "{loud:?}");
    assert_eq!(loud.len(), 1, "{loud:?}");
}

/// meta-llama/llama: a card at the root over the model package and
/// `example_*.py` scripts: the card's system, no card missing.
#[test]
fn a_llama_like_repository_is_its_card() {
    let repo = Repo::with(&[
        ("MODEL_CARD.md", &format!("---\n{MINIMAL_CARD}---\n\n# Llama\n")),
        ("setup.py", "from setuptools import setup\nsetup(name='llama', packages=['llama'])\n"),
        ("llama/__init__.py", "from .generation import Llama\n"),
        ("llama/model.py", GPT_MODEL),
        (
            "llama/generation.py",
            "import torch\n\nclass Llama:\n    @staticmethod\n    def build(ckpt_dir):\n        checkpoint = torch.load(ckpt_path, map_location='cpu')\n",
        ),
        ("example_chat_completion.py", "from llama import Llama\n\ndef main(ckpt_dir):\n    generator = Llama.build(ckpt_dir=ckpt_dir)\n"),
    ]);
    let (missing, loud) = judged(&repo);
    assert!(missing.is_empty(), "{loud:?}");
    let systems = repo.inspect_systems();
    assert_eq!(systems.len(), 1);
    assert_eq!(
        systems[0]["system"]["ml_files"],
        serde_json::json!(["llama/generation.py"])
    );
}

/// gpt-2-simple: TensorFlow 1 training with an optimizer's apply_gradients
/// and checkpoints a Saver restores: a system, found by what it does.
#[test]
fn tensorflow_one_training_is_found() {
    let repo = Repo::with(&[
        ("setup.py", "from setuptools import setup\nsetup(name='gpt_2_simple', install_requires=['tensorflow'])\n"),
        (
            "gpt_2_simple/gpt_2.py",
            "import tensorflow as tf\n\ndef finetune(sess, dataset):\n    opt = tf.compat.v1.train.AdamOptimizer(learning_rate=1e-4)\n    opt_apply = opt.apply_gradients(grads)\n    saver = tf.compat.v1.train.Saver()\n    saver.restore(sess, ckpt)\n",
        ),
    ]);
    let (missing, _) = judged(&repo);
    assert_eq!(missing, [("gpt_2_simple/gpt_2.py".to_string(), 5)]);
}

/// aider: the LLM library reached through a lazy wrapper the repository
/// owns (`from aider.llm import litellm`).
#[test]
fn an_llm_library_behind_the_repositorys_own_wrapper() {
    let repo = Repo::with(&[
        ("requirements.txt", "litellm==1.75\n"),
        (
            "aider/llm.py",
            "import importlib\n\nclass LazyLiteLLM:\n    def _load(self):\n        self._module = importlib.import_module('litellm')\n\nlitellm = LazyLiteLLM()\n",
        ),
        (
            "aider/models.py",
            "from aider.llm import litellm\n\ndef send(messages):\n    return litellm.completion(model='gpt-4o', messages=messages)\n",
        ),
    ]);
    let (missing, loud) = judged(&repo);
    assert_eq!(missing, [("aider/models.py".to_string(), 4)], "{loud:?}");
}

/// diffusers and speechbrain: example training scripts and tutorial
/// notebooks by the dozen are notes, one per directory; a framework module
/// named `training_utils.py` is nothing.
#[test]
fn examples_and_tutorials_by_the_dozen_are_notes() {
    let repo = Repo::new();
    repo.write(
        "setup.py",
        "from setuptools import setup\nsetup(name='diffusers')\n",
    );
    repo.write("src/diffusers/__init__.py", "");
    repo.write(
        "src/diffusers/training_utils.py",
        "import torch\n\ndef compute_snr(noise_scheduler, timesteps):\n    return timesteps\n",
    );
    for i in 0..30 {
        repo.write(&format!("examples/task{i}/train_task{i}.py"), TRAINING);
        repo.write(&format!("docs/tutorials/t{i}.ipynb"), NOTEBOOK);
    }
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.summary("errors") + run.summary("warnings"), 0);
    assert_eq!(run.summary("notes"), 2, "{}", run.describe());
}

/// fairseq: a native extension's `setup.py` inside a package is not a
/// project, and a custom operator's `backward(grad)` is not training.
#[test]
fn a_native_extension_is_no_project_and_an_operator_backward_no_training() {
    let repo = Repo::with(&[
        ("setup.py", "from setuptools import setup\nsetup(name='fairseq')\n"),
        ("fairseq/__init__.py", ""),
        ("fairseq/modules/__init__.py", ""),
        ("fairseq/modules/dynamicconv/__init__.py", ""),
        ("fairseq/modules/dynamicconv/setup.py", "from setuptools import setup\nsetup(name='dynamicconv_layer')\n"),
        (
            "fairseq/modules/dynamicconv/dynamicconv_layer.py",
            "import torch\nimport dynamicconv_cuda\n\nclass dynamicconvFunction(torch.autograd.Function):\n    @staticmethod\n    def backward(ctx, grad_output):\n        outputs = dynamicconv_cuda.backward(grad_output.contiguous(), ctx.padding_l)\n        return outputs\n",
        ),
    ]);
    let (missing, loud) = judged(&repo);
    assert!(missing.is_empty(), "{loud:?}");
    assert!(loud.is_empty(), "{loud:?}");
}

/// A TypeScript LLM application with LangChain.js and the Vercel AI SDK:
/// one system at its package.
#[test]
fn a_typescript_llm_application() {
    let repo = Repo::with(&[
        ("web/package.json", "{\"name\": \"support-bot\", \"dependencies\": {\"ai\": \"^4\", \"@ai-sdk/openai\": \"^1\", \"@langchain/openai\": \"^0.3\"}}"),
        (
            "web/app/api/chat/route.ts",
            "import { streamText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n\nexport async function POST(req: Request) {\n  const result = streamText({ model: openai('gpt-4o'), messages: [] });\n  return result.toDataStreamResponse();\n}\n",
        ),
        (
            "web/lib/retrieve.ts",
            "import { ChatOpenAI } from '@langchain/openai';\nexport const llm = new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0 });\n",
        ),
        ("web/app/page.tsx", "export default function Page() { return <main>Hello</main>; }\n"),
    ]);
    let (missing, loud) = judged(&repo);
    assert_eq!(
        missing,
        [("web/app/api/chat/route.ts".to_string(), 5)],
        "{loud:?}"
    );
    let inventory = repo.run(&["inventory", ".", "--now", NOW, "--format", "json"]);
    let register: serde_json::Value = serde_json::from_str(&inventory.stdout).expect("JSON");
    let models: Vec<&str> = register["systems_without_card"][0]["code"]["models"]
        .as_array()
        .expect("models")
        .iter()
        .filter_map(|m| m["model"].as_str())
        .collect();
    assert_eq!(models, ["gpt-4o", "gpt-4o-mini"]);
}
