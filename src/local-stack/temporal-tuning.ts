/**
 * How the single-node Temporal dev server is tuned, with the reason for each setting. Shared by `npm start`,
 * the test harness and the benchmark, so all three measure and run the same server.
 */

/** Dynamic config values passed with `--dynamic-config-value KEY=VALUE`. */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  // The dev server has one history shard, and server 1.29 polls each shard's transfer, timer and visibility
  // queues at most 20 times a second: once the limiter's burst is spent, every workflow and activity task
  // waits for the next 50 ms tick. One node has no other shards to protect from a hot one.
  'history.transferProcessorMaxPollRPS': 10_000,
  'history.timerProcessorMaxPollRPS': 10_000,
  'history.visibilityProcessorMaxPollRPS': 10_000,
  // An activity scheduled by a workflow task goes straight back to the worker that completed the task, in
  // the same response, instead of through a task-queue poll.
  'system.enableActivityEagerExecution': true,
  // The CLI turns this on so search attributes created at run time are visible at once; it makes every
  // start and upsert read the namespace's search attributes from SQLite. Ours are registered at start.
  'system.forceSearchAttributesCacheRefreshOnRead': false,
  // One partition per task queue: with the default four, a task written to one partition waits for a
  // poller forwarded from another. Partitions spread load over matching hosts; there is one host.
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

/**
 * SQLite pragmas (`--sqlite-pragma NAME=VALUE`). WAL lets readers (queries, the Web UI, visibility) run
 * beside the single writer and turns each commit into an append. With `synchronous=full` every commit is
 * fsynced before Temporal acknowledges it: neither a crash of the process nor a power loss can lose an
 * acknowledged start, activity result or completion. (`normal` would lose the last commits on power loss.)
 */
export const DEV_SERVER_SQLITE_PRAGMAS: Readonly<Record<string, string>> = {
  journal_mode: 'wal',
  synchronous: 'full',
};

/** The dev server's tuning as command-line arguments. */
export function devServerTuningArgs(): string[] {
  return [
    ...Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
    ...Object.entries(DEV_SERVER_SQLITE_PRAGMAS).flatMap(([name, value]) => ['--sqlite-pragma', `${name}=${value}`]),
  ];
}
