// The CQL side of the peer benchmark: evaluates the two questions of cql/ConcordPeer.json with
// cql-execution and cql-exec-fhir over FHIR R4 Bundles (one person each), and writes the
// people each question selects and the time taken.
//
//   node cql_bench.js --date YYYY-MM-DD --out RESULT.json [--chunk N] [--limit M] INPUT...
//
// INPUT is a Bundle file or a folder of them (*.json, in name order); --limit takes the first
// M. Bundles are handled in chunks of N (default 50) so that memory stays bounded: for each
// chunk the JSON text is read (not timed), parsed and loaded into the PatientSource (timed as
// "parse"), then executor.exec runs over the chunk (timed as "evaluate"). Parse + evaluate is
// the sum of the two. Each is measured as wall time and as the process's CPU time (user +
// system), which a busy machine disturbs less. The PatientSource is made once, before any
// timing: making one parses the FHIR model info.
'use strict';

const fs = require('fs');
const path = require('path');
const cql = require('cql-execution');
const cqlfhir = require('cql-exec-fhir');

const QUESTIONS = {
  a: 'Diabetes HbA1c overdue or above 58',
  b: 'Hypertension BP overdue'
};

function usage(message) {
  process.stderr.write(`cql_bench: ${message}\n` +
    'usage: node cql_bench.js --date YYYY-MM-DD --out RESULT.json [--chunk N] [--limit M] INPUT...\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { chunk: 50, inputs: [] };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--date') args.date = argv[++i];
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--chunk') args.chunk = Number(argv[++i]);
    else if (a === '--limit') args.limit = Number(argv[++i]);
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else args.inputs.push(a);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(args.date || '')) usage('--date YYYY-MM-DD is required');
  if (!args.out) usage('--out RESULT.json is required');
  if (!Number.isInteger(args.chunk) || args.chunk < 1) usage('--chunk takes a positive integer');
  if (args.limit !== undefined && !(Number.isInteger(args.limit) && args.limit > 0)) {
    usage('--limit takes a positive integer');
  }
  if (args.inputs.length === 0) usage('give at least one Bundle file or folder');
  return args;
}

function listInputs(inputs) {
  const files = [];
  for (const input of inputs) {
    let stat;
    try {
      stat = fs.statSync(input);
    } catch (e) {
      usage(`cannot read ${input}: ${e.message}`);
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(input).sort()) {
        if (name.endsWith('.json')) files.push(path.join(input, name));
      }
    } else {
      files.push(input);
    }
  }
  return files;
}

function parseBundle(text, file) {
  let bundle;
  try {
    bundle = JSON.parse(text);
  } catch (e) {
    usage(`${file} is not JSON: ${e.message}`);
  }
  const patients = (bundle.entry || []).filter(e => e.resource && e.resource.resourceType === 'Patient');
  if (bundle.resourceType !== 'Bundle' || patients.length !== 1) {
    usage(`${file}: expected a FHIR Bundle with one Patient`);
  }
  return bundle;
}

// Wall and CPU seconds since `start` (from now()).
function now() {
  return { wall: process.hrtime.bigint(), cpu: process.cpuUsage() };
}
function elapsed(start) {
  const cpu = process.cpuUsage(start.cpu);
  return {
    wall: Number(process.hrtime.bigint() - start.wall) / 1e9,
    cpu: (cpu.user + cpu.system) / 1e6
  };
}
function add(total, time) {
  total.wall += time.wall;
  total.cpu += time.cpu;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const here = __dirname;
  const elm = JSON.parse(fs.readFileSync(path.join(here, 'cql', 'ConcordPeer.json'), 'utf8'));
  const valueSets = JSON.parse(fs.readFileSync(path.join(here, 'cql', 'valuesets.json'), 'utf8'));
  const library = new cql.Library(elm);
  const codeService = new cql.CodeService(valueSets);
  const [y, m, d] = args.date.split('-').map(Number);
  const executor = new cql.Executor(library, codeService, { 'Evaluation Date': new cql.Date(y, m, d) });

  const source = cqlfhir.PatientSource.FHIRv401();

  const files = listInputs(args.inputs).slice(0, args.limit);
  if (files.length === 0) usage('no FHIR Bundles (*.json) in the inputs given');
  const selected = { a: [], b: [] };
  const ids = [];
  const parse = { wall: 0, cpu: 0 };
  const evaluate = { wall: 0, cpu: 0 };
  let records = 0;
  for (let first = 0; first < files.length; first += args.chunk) {
    const chunk = files.slice(first, first + args.chunk);
    const texts = chunk.map(f => fs.readFileSync(f, 'utf8'));
    let start = now();
    source.reset();
    source.loadBundles(texts.map((text, i) => parseBundle(text, chunk[i])));
    add(parse, elapsed(start));

    start = now();
    const results = await executor.exec(source);
    add(evaluate, elapsed(start));

    for (const [id, values] of Object.entries(results.patientResults)) {
      records += 1;
      ids.push(id);
      for (const [key, name] of Object.entries(QUESTIONS)) {
        if (values[name] === true) selected[key].push(id);
      }
    }
  }
  if (records !== files.length) {
    throw new Error(`read ${files.length} Bundles but the engine returned ${records} people`);
  }
  for (const key of Object.keys(selected)) selected[key].sort();
  ids.sort();
  const result = {
    engine: 'cql-execution',
    date: args.date,
    records,
    parse_seconds: parse.wall,
    parse_cpu_seconds: parse.cpu,
    evaluate_seconds: evaluate.wall,
    evaluate_cpu_seconds: evaluate.cpu,
    selected,
    ids
  };
  fs.writeFileSync(args.out, JSON.stringify(result, null, 1) + '\n');
}

main().catch(e => {
  process.stderr.write(`cql_bench: ${e.stack || e}\n`);
  process.exit(1);
});
