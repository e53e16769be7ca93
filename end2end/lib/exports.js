// Reads the files the app exports, as a spreadsheet would: CSV fields (RFC 4180: quotes,
// doubled quotes, line breaks inside quotes) and an XLSX workbook's cells (the ZIP opened with
// Node's zlib, no package): each text cell's value, and every formula the workbook holds.
const zlib = require('node:zlib');

/** The rows of a CSV text, each a list of fields (a BOM at the start is dropped). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** The files of a ZIP archive: { name: Buffer }. */
function unzip(buffer) {
  let eocd = buffer.length - 22;
  while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a ZIP archive');
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  const files = {};
  for (let n = 0; n < count; n++) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    files[name] = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function xmlText(s) {
  return s
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#x([0-9A-Fa-f]+);/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The runs of text of one `<si>` or `<is>` element, joined. */
function stringItem(xml) {
  return [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)].map((m) => xmlText(m[1] || '')).join('');
}

/**
 * An XLSX workbook's text: `strings` (every shared and inline string, as a spreadsheet shows
 * it), and `formulas` (the text of every `<f>` element of every sheet).
 */
function readXlsx(buffer) {
  const files = unzip(buffer);
  const strings = [];
  const shared = files['xl/sharedStrings.xml'];
  if (shared) {
    for (const m of shared.toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)) strings.push(stringItem(m[1]));
  }
  const formulas = [];
  for (const [name, data] of Object.entries(files)) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    const xml = data.toString('utf8');
    for (const m of xml.matchAll(/<is>([\s\S]*?)<\/is>/g)) strings.push(stringItem(m[1]));
    for (const m of xml.matchAll(/<f(?:\s[^>]*)?>([\s\S]*?)<\/f>/g)) formulas.push(xmlText(m[1]));
  }
  return { strings, formulas };
}

/** Would a spreadsheet read this cell as a formula (and it is not a plain number)? */
function readAsFormula(cell) {
  return /^[=+\-@\t\r]/.test(cell) && !(cell.trim() !== '' && Number.isFinite(Number(cell.trim())));
}

module.exports = { parseCsv, readXlsx, readAsFormula };
