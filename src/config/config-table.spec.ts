import * as fs from 'node:fs';
import * as path from 'node:path';
import { KEYS } from './config.schema';
import { renderConfigTable, withConfigTable } from './config-table';

describe(renderConfigTable.name, () => {
  it('has one row per schema key', () => {
    const table = renderConfigTable();
    for (const { key } of KEYS) expect(table).toContain(`| \`${key}\` |`);
    expect(table.split('\n')).toHaveLength(KEYS.length + 2);
  });

  it('matches the table in README.md (run `npm run config:table` after changing the schema)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });
});
