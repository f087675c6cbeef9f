/** Reads `.data/stack.json`, the running local stack's description, for the command-line tools. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { StackDescription } from './stack.ts';

export function readStackFile(dataDir: string): StackDescription {
  const file = path.join(dataDir, 'stack.json');
  if (!existsSync(file)) {
    throw new Error(`${file} does not exist: start the stack first with \`npm start\` (in another terminal).`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as StackDescription;
}
