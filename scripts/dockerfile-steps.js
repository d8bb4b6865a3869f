#!/usr/bin/env node
// Prints the steps of one stage of a Dockerfile, one per line, tab-separated, for
// scripts/verify-image-recipe.sh to replay outside Docker:
//   WORKDIR <dir>   ENV <name> <value>   RUN <shell command>   CMD <arg> <arg> …
//   COPY <dest> <src> <src> …            COPY_FROM <stage> <dest> <src> …
// Usage: node scripts/dockerfile-steps.js <Dockerfile> <stage name>
'use strict';
const fs = require('node:fs');

const [file, stage] = process.argv.slice(2);
if (!file || !stage) {
  process.stderr.write('usage: node scripts/dockerfile-steps.js <Dockerfile> <stage>\n');
  process.exit(2);
}

/** Instructions with their continuation lines joined and comments dropped. */
function instructions(text) {
  const out = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    current += (current ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (!line.endsWith('\\')) {
      out.push(current);
      current = '';
    }
  }
  if (current) out.push(current);
  return out;
}

/** `["a","b"]` (exec form) or whitespace-separated words. */
function args(rest) {
  return rest.startsWith('[') ? JSON.parse(rest) : rest.split(/\s+/).filter(Boolean);
}

/** `ENV A=1 B="two words"` or the legacy `ENV A 1`. */
function envPairs(rest) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest)) {
    const [name, ...value] = rest.split(/\s+/);
    return [[name, value.join(' ')]];
  }
  const pairs = [];
  for (const m of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) {
    pairs.push([m[1], m[3] ?? m[2]]);
  }
  return pairs;
}

let inStage = false;
let found = false;
const lines = [];
for (const instruction of instructions(fs.readFileSync(file, 'utf8'))) {
  const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(instruction);
  const op = keyword.toUpperCase();
  if (op === 'FROM') {
    inStage = new RegExp(`\\sAS\\s+${stage}$`, 'i').test(rest);
    found ||= inStage;
    continue;
  }
  if (!inStage) continue;
  if (op === 'WORKDIR') lines.push(['WORKDIR', rest]);
  else if (op === 'RUN') lines.push(['RUN', rest]);
  else if (op === 'CMD') lines.push(['CMD', ...args(rest)]);
  else if (op === 'ENV')
    for (const [name, value] of envPairs(rest)) lines.push(['ENV', name, value]);
  else if (op === 'COPY') {
    const words = args(rest);
    const from = words.find((w) => w.startsWith('--from='));
    const paths = words.filter((w) => !w.startsWith('--'));
    const dest = paths.pop();
    lines.push(from ? ['COPY_FROM', from.slice(7), dest, ...paths] : ['COPY', dest, ...paths]);
  }
}
if (!found) {
  process.stderr.write(`${file} has no stage named ${stage}\n`);
  process.exit(2);
}
process.stdout.write(lines.map((l) => l.join('\t')).join('\n') + '\n');
