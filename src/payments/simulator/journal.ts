/**
 * A simulator's memory on disk, as a real gateway's would outlive a restart: records appended as JSON
 * lines, read back in order when the simulator starts again. Records staged while one request is handled
 * are written together (`flush`), so an effect and the idempotency record that answers its retries are
 * never kept one without the other.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export class Journal<R> {
  #staged: R[] = [];

  /** `file` null keeps nothing (the simulator forgets everything when it stops). */
  constructor(readonly file: string | null) {
    if (file) mkdirSync(path.dirname(file), { recursive: true });
  }

  /** Every record written so far, oldest first; a last line cut off by a crash is ignored. */
  load(): R[] {
    if (!this.file || !existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    const records: R[] = [];
    for (const [i, line] of lines.entries()) {
      try {
        records.push(JSON.parse(line) as R);
      } catch (error) {
        if (i < lines.length - 1) throw new Error(`${this.file}: line ${i + 1} is not JSON: ${(error as Error).message}`);
      }
    }
    return records;
  }

  stage(record: R): void {
    if (this.file) this.#staged.push(record);
  }

  flush(): void {
    if (!this.file || this.#staged.length === 0) return;
    const lines = this.#staged.map((r) => `${JSON.stringify(r)}\n`).join('');
    this.#staged = [];
    appendFileSync(this.file, lines);
  }
}
