/**
 * Errors made in the workflow sandbox capture no stack frames. The worker preloads this module into the
 * sandbox (the bundle's `preloadModules`, see WORKFLOW_PRELOAD_MODULES in src/roles/checkout-worker.ts): it runs once
 * per V8 context, before the SDK freezes the sandbox's globals, so it holds for every workflow in the context.
 *
 * Why: for every promise a workflow creates, the SDK's promise hook (@temporalio/worker, lib/workflow/vm-shared.js,
 * `GlobalHandlers.setPromiseHook`) makes an Error, reads its stack — formatted frame by frame through the
 * bundle's source map by its `Error.prepareStackTrace` — and keeps it until the promise settles, only to answer
 * the `__stack_trace` and `__enhanced_stack_trace` queries behind the Web UI's "Stack Trace" tab. SDK 1.24 has no
 * option to turn that off. It cost a replay of the happy path about 4 of its 32 ms CPU, and a checkout held for
 * review about 9 of 39 (bench/replay-cpu.ts). The hook itself still runs (about 1 ms a checkout), but finds no
 * frames to capture, format or keep.
 *
 * What it takes away:
 * - The Web UI's "Stack Trace" tab of a running checkout is empty: `__stack_trace` answers '' and
 *   `__enhanced_stack_trace` no stacks. Where a checkout is, is in its current details (the Web UI's summary,
 *   see checkout-state.ts) and its history.
 * - An error made in workflow code keeps its name and message but no frames — a workflow task failure, an
 *   update's refusal, a workflow failure, the exception on a span read "Error: the checkout is …" and nothing
 *   below. The frames come back by replaying the workflow's history with a bundle without this module
 *   (e.g. `Worker.runReplayHistory` with `workflowsPath`), and for new work with WORKFLOW_STACK_TRACES=true,
 *   which bundles the worker's workflows without it.
 * - Activity failures are untouched: they carry the stack the activity sent from outside the sandbox.
 *
 * Nothing the workflow decides depends on a stack, so replay stays deterministic (test/replay).
 */
const { toString } = Error.prototype;

Error.stackTraceLimit = 0;
// The sandbox formats its own errors' stacks (a header, as V8 would with no frames), so the SDK's formatter never
// runs for them and its hook records nothing: without this, the hook would keep an "Error" per pending promise.
Error.prepareStackTrace = (error: Error) => toString.call(error);

export {};
