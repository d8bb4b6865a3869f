import * as fs from 'node:fs';
import { withConfigTable } from '../src/config/config-table';

/** Rewrites the configuration table in README.md from the schema. */
const file = 'README.md';
fs.writeFileSync(file, withConfigTable(fs.readFileSync(file, 'utf8')));
process.stdout.write(`${file}: configuration table regenerated\n`);
