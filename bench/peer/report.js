// Compares the two engines' results (cql_bench.js and concord_peer_bench) for one record set:
// fails, naming the differing record ids, unless both select the same people for both
// questions on every record both evaluated; then prints the timings side by side.
//
//   node report.js --title TEXT CONCORD_RESULT.json CQL_RESULT.json
//
// Exit status: 0 same answers, 1 different answers, 2 bad usage or unreadable results.
'use strict';

const fs = require('fs');

const QUESTIONS = {
  a: '(a) diabetes, latest HbA1c older than 12 months or above 58 mmol/mol',
  b: '(b) hypertension, latest BP older than 12 months'
};

function fail(message) {
  process.stderr.write(`report: ${message}\n`);
  process.exit(2);
}

function load(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(`cannot read ${file}: ${e.message}`);
  }
}

function perRecord(seconds, records) {
  const us = (seconds / records) * 1e6;
  return us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(1)} µs`;
}

function rate(seconds, records) {
  return Math.round(records / seconds).toLocaleString('en-GB');
}

function people(n) {
  return n === 1 ? '1 person' : `${n} people`;
}

function ratio(slow, fast) {
  return `${Math.round(slow / fast).toLocaleString('en-GB')}×`;
}

function main() {
  const argv = process.argv.slice(2);
  let title = 'records';
  if (argv[0] === '--title') {
    title = argv[1];
    argv.splice(0, 2);
  }
  if (argv.length !== 2) fail('usage: node report.js [--title TEXT] CONCORD_RESULT.json CQL_RESULT.json');
  const concord = load(argv[0]);
  const cql = load(argv[1]);

  // The answers, on every record the CQL engine evaluated (all of them unless --cql-records).
  const evaluated = new Set(cql.ids);
  const missing = cql.ids.filter(id => !new Set(concord.ids).has(id));
  if (missing.length > 0) fail(`Concord did not evaluate ${missing.length} of the CQL engine's records`);
  let differs = false;
  const agreed = {};
  for (const [key, question] of Object.entries(QUESTIONS)) {
    const c = new Set(concord.selected[key].filter(id => evaluated.has(id)));
    const q = new Set(cql.selected[key]);
    const onlyConcord = [...c].filter(id => !q.has(id)).sort();
    const onlyCql = [...q].filter(id => !c.has(id)).sort();
    if (onlyConcord.length || onlyCql.length) {
      differs = true;
      process.stderr.write(`DIFFERENT ANSWERS for ${question} on ${title}:\n` +
        `  selected by Concord only: ${onlyConcord.join(' ') || '-'}\n` +
        `  selected by CQL only:     ${onlyCql.join(' ') || '-'}\n`);
    }
    agreed[key] = q.size;
  }
  if (differs) process.exit(1);

  const n = cql.records;
  const cn = concord.records;
  const lines = [
    `${title}: ${n.toLocaleString('en-GB')} records in both engines` +
      (cn > n ? ` (Concord also evaluated all ${cn.toLocaleString('en-GB')})` : ''),
    `  same answers on every record: (a) ${people(agreed.a)}, (b) ${people(agreed.b)}`,
    '  per record (CPU time; wall time in brackets)       Concord            CQL      ratio'
  ];
  const row = (label, c, q, cw, qw) => {
    lines.push(`  ${label.padEnd(42)} ${perRecord(c, cn).padStart(12)} ${perRecord(q, n).padStart(14)} ` +
      `${ratio(q / n, c / cn).padStart(10)}`);
    lines.push(`  ${''.padEnd(42)} ${('(' + perRecord(cw, cn) + ')').padStart(12)} ` +
      `${('(' + perRecord(qw, n) + ')').padStart(14)} ${('(' + ratio(qw / n, cw / cn) + ')').padStart(10)}`);
  };
  row('evaluation alone', concord.evaluate_cpu_seconds, cql.evaluate_cpu_seconds,
      concord.evaluate_seconds, cql.evaluate_seconds);
  row('parse + evaluation',
      concord.parse_cpu_seconds + concord.evaluate_cpu_seconds,
      cql.parse_cpu_seconds + cql.evaluate_cpu_seconds,
      concord.parse_seconds + concord.evaluate_seconds, cql.parse_seconds + cql.evaluate_seconds);
  lines.push(`  records/s, evaluation alone (CPU):          ` +
    `${rate(concord.evaluate_cpu_seconds, cn).padStart(12)} ${rate(cql.evaluate_cpu_seconds, n).padStart(14)}`);
  lines.push(`  records/s, parse + evaluation (CPU):        ` +
    `${rate(concord.parse_cpu_seconds + concord.evaluate_cpu_seconds, cn).padStart(12)} ` +
    `${rate(cql.parse_cpu_seconds + cql.evaluate_cpu_seconds, n).padStart(14)}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main();
