import fs from 'node:fs';
import path from 'node:path';

/**
 * Code runs both from sources (tests) and from dist/ (npm start), at different depths; files such as
 * schema/supergraph.graphql are found relative to the folder that holds package.json instead.
 */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}
