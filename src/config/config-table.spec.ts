import * as fs from 'node:fs';
import * as path from 'node:path';
import { KEY_DEFINITIONS } from './config.schema';
import { renderConfigTable, withConfigTable } from './config-table';

describe(renderConfigTable.name, () => {
  it('has one row per schema key', () => {
    const table = renderConfigTable();
    for (const def of KEY_DEFINITIONS) expect(table).toContain(`| \`${def.key}\` |`);
    expect(table.split('\n')).toHaveLength(KEY_DEFINITIONS.length + 2);
  });

  it('matches the table in README.md (run `npm run config:table` after changing the schema)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });
});
