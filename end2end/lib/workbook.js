// Edits a workbook as a person would in Excel: cells found by the key in column A of the data
// sheet and a column index, typed over. openpyxl (Python) does the writing, as LibreOffice
// or Excel would: it keeps the hidden sheet, the lists and the protection. scripts/setup
// installs it into the tools' Python environment (RT_PYTHON).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SCRIPT = path.join(__dirname, 'edit_workbook.py');
const MAKE = path.join(__dirname, 'make_workbook.py');

/** `bytes` (a Buffer) with `edits` ([key, column index, text]) applied; returns a Buffer. */
function editWorkbook(bytes, edits) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-xlsx-'));
  const input = path.join(dir, 'in.xlsx');
  const output = path.join(dir, 'out.xlsx');
  fs.writeFileSync(input, bytes);
  const args = [SCRIPT, input, output, ...edits.map(([key, column, text]) => `${key}\t${column}\t${text}`)];
  execFileSync(process.env.RT_PYTHON || 'python3', args, { encoding: 'utf8' });
  const out = fs.readFileSync(output);
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** A new workbook of `sheets` ({ name: [[cell, …], …] }), as a Buffer. */
function makeWorkbook(sheets) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-xlsx-'));
  const output = path.join(dir, 'new.xlsx');
  execFileSync(process.env.RT_PYTHON || 'python3', [MAKE, output, JSON.stringify(sheets)], { encoding: 'utf8' });
  const out = fs.readFileSync(output);
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

module.exports = { editWorkbook, makeWorkbook };
