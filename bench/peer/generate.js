// Makes many FHIR R4 Bundles from a few, deterministically, for the peer benchmark:
//
//   node generate.js --count N [--seed S] --out DIR SOURCE_DIR
//
// Copy k (0 <= k < N) is made from the (k mod n)-th source Bundle (in name order) with its own
// pseudo-random stream (seeded by S and k), so the same arguments always give the same files:
//   - new ids: every UUID in the Bundle (resource ids, fullUrls, references) gets a new first
//     group (XORed with a number drawn for the copy), so copies never share an id;
//   - shifted dates: every date and dateTime moves by the same number of days (-540 to +540)
//     and keeps its time of day and zone, so the order of facts within a record is kept;
//   - perturbed values: every valueQuantity value is multiplied by a factor from 0.9 to 1.1;
//   - and, in a few copies, one edge case the engines must agree on: an HbA1c or BP
//     Observation marked entered-in-error (1 in 10 copies), an HbA1c restated in IFCC mmol/mol
//     (1 in 10), a diagnosis marked refuted (1 in 20).
// Files are written as DIR/peer-NNNNN.json.
'use strict';

const fs = require('fs');
const path = require('path');

function usage(message) {
  process.stderr.write(`generate: ${message}\n` +
    'usage: node generate.js --count N [--seed S] --out DIR SOURCE_DIR\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { seed: 1 };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--count') args.count = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else if (a === '--out') args.out = argv[++i];
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (args.source) usage('give one SOURCE_DIR');
    else args.source = a;
  }
  if (!Number.isInteger(args.count) || args.count < 1) usage('--count takes a positive integer');
  if (!Number.isInteger(args.seed)) usage('--seed takes an integer');
  if (!args.out) usage('--out DIR is required');
  if (!args.source) usage('give the folder of source Bundles');
  return args;
}

// mulberry32: a small, well-mixed 32-bit generator; enough for test data.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86400000;
const UUID = /[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g;
const DATE = /"(\d{4})-(\d{2})-(\d{2})(T[^"]*)?"/g;
const QUANTITY_VALUE = /"valueQuantity":\{"value":(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;

function shiftDate(match, y, m, d, time, days) {
  const shifted = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)) + days * DAY_MS);
  const iso = shifted.toISOString().slice(0, 10);
  return `"${iso}${time || ''}"`;
}

// Replaces the `which`-th match of `pattern` in `text` (counting from 0) with `replace(match)`.
function replaceNth(text, pattern, which, replace) {
  let seen = -1;
  return text.replace(pattern, (...groups) => (++seen === which ? replace(...groups) : groups[0]));
}

function countOf(text, pattern) {
  return (text.match(pattern) || []).length;
}

// The edge cases, as edits of Synthea's compact JSON (key order as Synthea writes it).
const FINAL_HBA1C_OR_BP =
  /"status":"final"(,"category":\[\{"coding":\[\{[^\]]*\]\}\],"code":\{"coding":\[\{"system":"http:\/\/loinc.org","code":"(4548-4|55284-4)")/g;
const HBA1C_PERCENT =
  /("code":"4548-4"[^{}]*\}\][^{}]*\},"subject":\{[^{}]*\},"encounter":\{[^{}]*\},"effectiveDateTime":"[^"]*","issued":"[^"]*","valueQuantity":\{"value":)(-?[\d.eE+-]+),"unit":"%","system":"http:\/\/unitsofmeasure.org","code":"%"/g;
const CONFIRMED = /"verificationStatus":\{"coding":\[\{"system":"([^"]*)","code":"confirmed"/g;

function vary(text, k, seed) {
  const next = random((seed * 0x9e3779b1 + k * 0x85ebca6b) >>> 0);
  const idMask = Math.floor(next() * 0x100000000) >>> 0;
  const days = Math.floor(next() * 1081) - 540;
  let out = text.replace(UUID, uuid => {
    const first = ((parseInt(uuid.slice(0, 8), 16) ^ idMask) >>> 0).toString(16).padStart(8, '0');
    return first + uuid.slice(8);
  });
  out = out.replace(DATE, (match, y, m, d, time) => shiftDate(match, y, m, d, time, days));
  out = out.replace(QUANTITY_VALUE, (match, value) => {
    const factor = 0.9 + 0.2 * next();
    return `"valueQuantity":{"value":${Number(value) * factor}`;
  });
  const edge = next();
  const pick = next();
  if (edge < 0.1) {
    const n = countOf(out, FINAL_HBA1C_OR_BP);
    if (n > 0) {
      out = replaceNth(out, FINAL_HBA1C_OR_BP, Math.floor(pick * n),
                       (match, rest) => `"status":"entered-in-error"${rest}`);
    }
  } else if (edge < 0.2) {
    const n = countOf(out, HBA1C_PERCENT);
    if (n > 0) {
      out = replaceNth(out, HBA1C_PERCENT, Math.floor(pick * n), (match, head, value) => {
        const ifcc = (Number(value) - 2.15) * 10.929;
        return `${head}${ifcc},"unit":"mmol/mol","system":"http://unitsofmeasure.org","code":"mmol/mol"`;
      });
    }
  } else if (edge < 0.25) {
    const n = countOf(out, CONFIRMED);
    if (n > 0) {
      out = replaceNth(out, CONFIRMED, Math.floor(pick * n),
                       (match, system) => `"verificationStatus":{"coding":[{"system":"${system}","code":"refuted"`);
    }
  }
  return out;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  let names;
  try {
    names = fs.readdirSync(args.source).filter(n => n.endsWith('.json')).sort();
  } catch (e) {
    usage(`cannot read ${args.source}: ${e.message}`);
  }
  if (names.length === 0) usage(`${args.source} holds no *.json Bundles`);
  const sources = names.map(n => fs.readFileSync(path.join(args.source, n), 'utf8'));
  fs.mkdirSync(args.out, { recursive: true });
  const width = String(args.count - 1).length;
  for (let k = 0; k < args.count; ++k) {
    const name = `peer-${String(k).padStart(Math.max(5, width), '0')}.json`;
    fs.writeFileSync(path.join(args.out, name), vary(sources[k % sources.length], k, args.seed));
  }
}

main();
