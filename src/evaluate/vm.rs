//! The pack compiled to regorus's bytecode (RVM), which evaluates it several
//! times faster than the tree-walking interpreter. The interpreter remains
//! the reference: a policy the compiler does not support (`with`, for one)
//! or an evaluation the machine cannot finish falls back to it, so the VM can
//! make a run faster but never change its verdict.

use regorus::rvm::program::Program as Bytecode;
use regorus::rvm::vm::RegoVM;
use regorus::utils::limits::ExecutionTimerConfig;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

pub struct Program {
    bytecode: Arc<Bytecode>,
    /// The interpreter's compiled form, for default rules; bytecode read
    /// from the cache runs without it (its default rules are compiled in).
    policy: Option<regorus::CompiledPolicy>,
}

impl Program {
    /// Compiles the rules at `entry_points` (`data.pkg.rule`) of `engine`'s
    /// policies; `None` when the bytecode compiler does not support them.
    pub fn compile(engine: &regorus::Engine, entry_points: &[&String]) -> Option<Program> {
        let first: regorus::Rc<str> = entry_points.first()?.as_str().into();
        let policy = engine.clone().compile_with_entrypoint(&first).ok()?;
        let names: Vec<&str> = entry_points.iter().map(|e| e.as_str()).collect();
        let bytecode =
            regorus::languages::rego::compiler::Compiler::compile_from_policy(&policy, &names)
                .ok()?;
        Some(Program {
            bytecode,
            policy: Some(policy),
        })
    }

    pub fn from_bytecode(bytecode: Arc<Bytecode>) -> Program {
        Program {
            bytecode,
            policy: None,
        }
    }

    pub fn bytecode(&self) -> &Bytecode {
        &self.bytecode
    }

    /// A machine for one thread; `None` when `data` conflicts with the rules.
    pub fn machine(&self, data: &regorus::Value, timeout: Duration) -> Option<Machine> {
        let mut vm = match &self.policy {
            Some(policy) => RegoVM::new_with_policy(policy.clone()),
            None => RegoVM::new(),
        };
        vm.load_program(self.bytecode.clone());
        vm.set_data(data.clone()).ok()?;
        // The interpreter raises on a builtin given the wrong type; so must
        // the machine, or the two could disagree on a hostile card.
        vm.set_strict_builtin_errors(true);
        // Time, not an instruction count, bounds an evaluation (as in the
        // interpreter): a large card legitimately runs many instructions.
        vm.set_max_instructions(usize::MAX);
        vm.set_execution_timer_config(Some(ExecutionTimerConfig {
            limit: timeout,
            // The clock is read every 1,024 instructions (tens of
            // microseconds): as tight a bound as anyone can notice, while
            // reading it every 64 cost 1% of a large run.
            check_interval: NonZeroU32::new(1024).unwrap_or(NonZeroU32::MIN),
        }));
        Some(Machine { vm })
    }
}

pub struct Machine {
    vm: RegoVM,
}

impl Machine {
    /// The value of the rule at `entry_point` for `input`; `None` on any
    /// error (the caller then asks the interpreter, which names the rule).
    pub fn run(&mut self, entry_point: &str, input: regorus::Value) -> Option<regorus::Value> {
        self.vm.set_input(input);
        self.vm.execute_entry_point_by_name(entry_point).ok()
    }
}
