// Builds app/src/dashboard/europe.json: the outlines of the 53 Member States of the WHO
// European Region, plus grey neighbouring land for context, from Natural Earth 1:50m
// (public domain) as packaged by the npm `world-atlas`. Run by hand; the output is committed.
//
//   cd app/map && npm ci && node build-map.mjs
//
// Countries are joined on ISO 3166-1 numeric codes (world-atlas feature ids), never on names.
// The list of Member States is read from the reference-data migration, so the map cannot
// drift from the database: the script fails if any of them has no outline.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { feature, merge } from "topojson-client";
import { presimplify, simplify, sphericalRingArea, sphericalTriangleArea } from "topojson-simplify";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const require = createRequire(import.meta.url);
const atlasVersion = require("world-atlas/package.json").version;
const topology = JSON.parse(readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"));
const migration = join(root, "migrations", "sqlite", "0001_reference_data.sql");
const output = join(root, "app", "src", "dashboard", "europe.json");

// ISO 3166-1 alpha-2 -> numeric for the 53 Member States. The alpha-3 code is here only to
// check each row against the migration (a typo in a numeric code would otherwise go unseen).
const NUMERIC = {
  AD: ["AND", "020"], AL: ["ALB", "008"], AM: ["ARM", "051"], AT: ["AUT", "040"],
  AZ: ["AZE", "031"], BA: ["BIH", "070"], BE: ["BEL", "056"], BG: ["BGR", "100"],
  BY: ["BLR", "112"], CH: ["CHE", "756"], CY: ["CYP", "196"], CZ: ["CZE", "203"],
  DE: ["DEU", "276"], DK: ["DNK", "208"], EE: ["EST", "233"], ES: ["ESP", "724"],
  FI: ["FIN", "246"], FR: ["FRA", "250"], GB: ["GBR", "826"], GE: ["GEO", "268"],
  GR: ["GRC", "300"], HR: ["HRV", "191"], HU: ["HUN", "348"], IE: ["IRL", "372"],
  IL: ["ISR", "376"], IS: ["ISL", "352"], IT: ["ITA", "380"], KG: ["KGZ", "417"],
  KZ: ["KAZ", "398"], LT: ["LTU", "440"], LU: ["LUX", "442"], LV: ["LVA", "428"],
  MC: ["MCO", "492"], MD: ["MDA", "498"], ME: ["MNE", "499"], MK: ["MKD", "807"],
  MT: ["MLT", "470"], NL: ["NLD", "528"], NO: ["NOR", "578"], PL: ["POL", "616"],
  PT: ["PRT", "620"], RO: ["ROU", "642"], RS: ["SRB", "688"], RU: ["RUS", "643"],
  SE: ["SWE", "752"], SI: ["SVN", "705"], SK: ["SVK", "703"], SM: ["SMR", "674"],
  TJ: ["TJK", "762"], TM: ["TKM", "795"], TR: ["TUR", "792"], UA: ["UKR", "804"],
  UZ: ["UZB", "860"],
};

// Natural Earth draws some territories apart from their state; these belong with it on this
// map (by ISO numeric code): Åland (Finland), the Faroe Islands (Denmark), the Isle of Man,
// Jersey and Guernsey (United Kingdom), Gibraltar (United Kingdom).
// (Gibraltar is too small to be a feature at 1:50m.)
const PARTS = { FI: ["248"], DK: ["234"], GB: ["833", "832", "831"] };

// Natural Earth 4.1 draws de facto control; the map draws internationally recognised borders
// (as the UN, the EU and WHO do). A polygon of one feature (found by a point inside it, since
// it has no code of its own) moves to another state.
const REASSIGNED = [
  // Crimea: Ukraine (UN General Assembly resolution 68/262), drawn by Natural Earth with Russia.
  { what: "Crimea", from: "643", to: "UA", inside: [34.1, 44.95] },
];

// Natural Earth features without an ISO code, so they can only be named. Northern Cyprus is
// drawn as part of Cyprus (its de jure territory, as the UN, the EU and WHO draw it); every
// other one (Kosovo, Somaliland, Siachen Glacier, ...) is grey context land.
const UNCODED_PARTS = { CY: ["N. Cyprus"] };

const MICROSTATES = ["AD", "LU", "MC", "MT", "SM"];

// Member States' polygons far from Europe (French Guiana, Réunion, the Caribbean Netherlands,
// ...) are dropped: a polygon is kept when its bounding box centre lies in this frame.
// Longitudes reach 190 because Russia's far east is unwrapped past 180.
const MEMBER_FRAME = { west: -32, east: 190, south: 27, north: 84 };

// Context land is clipped to a box holding the whole map frame of geo.rs (its viewBox
// inverse-projected, with a margin), so the file carries no land that can never be seen.
const CONTEXT_BOX = { west: -80, east: 120, south: 14, north: 88 };

// Simplification: points whose triangle is smaller than this (steradians; 1e-7 sr ≈ 4 km²)
// go, and islands smaller than MIN_ISLAND (steradians) go unless they are a country's
// largest polygon or a microstate's.
const MIN_WEIGHT = 2e-6;
const MIN_ISLAND = 6e-6;
const DECIMALS = 2;

function fail(message) {
  console.error(`build-map: ${message}`);
  process.exit(1);
}

// --- The Member States, from the migration ---------------------------------------------------

function memberStates() {
  const sql = readFileSync(migration, "utf8");
  const insert = sql.match(/INSERT INTO countries\s*\(([^)]*)\)\s*VALUES([\s\S]*?);/);
  if (!insert) fail(`no INSERT INTO countries in ${migration}`);
  const columns = insert[1].split(",").map((c) => c.trim());
  const rows = [...insert[2].matchAll(/\(([^)]*)\)/g)].map((m) =>
    [...m[1].matchAll(/'((?:[^']|'')*)'|(-?\d+)/g)].map((v) => (v[1] !== undefined ? v[1].replace(/''/g, "'") : v[2])),
  );
  const at = (name) => {
    const i = columns.indexOf(name);
    if (i < 0) fail(`countries has no column ${name}`);
    return i;
  };
  const [iso2, iso3, name] = [at("iso2"), at("iso3"), at("name")];
  return rows.map((r) => ({ iso2: r[iso2], iso3: r[iso3], name: r[name] }));
}

const members = memberStates();
if (members.length !== 53) fail(`expected the 53 Member States, the migration has ${members.length}`);
for (const m of members) {
  const code = NUMERIC[m.iso2];
  if (!code) fail(`no ISO numeric code for ${m.iso2} (${m.name})`);
  if (code[0] !== m.iso3) fail(`${m.iso2}: the migration says ${m.iso3}, this script ${code[0]}`);
}

// --- Simplify the topology (shared borders stay shared, so neighbours still meet) -----------

const simplified = simplify(presimplify(topology, sphericalTriangleArea), MIN_WEIGHT);
const geometries = simplified.objects.countries.geometries;
const byId = new Map(geometries.filter((g) => g.id !== undefined).map((g) => [g.id, g]));
const used = new Set();


function take(id, what) {
  const g = byId.get(id);
  if (!g) fail(`world-atlas has no feature with ISO numeric id ${id} (${what})`);
  used.add(g);
  return g;
}

function takeUncoded(name, what) {
  const g = geometries.find((x) => x.id === undefined && x.properties.name === name);
  if (!g) fail(`world-atlas has no uncoded feature named ${name} (${what})`);
  used.add(g);
  return g;
}

// --- Geometry helpers ------------------------------------------------------------------------

const polygonsOf = (geometry) =>
  geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];

const xy = (ring) => ring.map((p) => [p[0], p[1]]);

function bbox(ring) {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  return { w, s, e, n };
}

// Russia's Chukotka lies west of the antimeridian (negative longitudes): move it past 180 so
// its rings continue those of the rest of Russia.
function unwrap(polygon) {
  if (!polygon.some((ring) => ring.some(([x]) => x < 0))) return polygon;
  return polygon.map((ring) => ring.map(([x, y]) => [x < 0 ? x + 360 : x, y]));
}

// Sutherland–Hodgman against a longitude/latitude box (the box is convex, so this is exact
// for filling; edges along the box are out of the map's frame).
function clipRing(ring, box) {
  const edges = [
    [(p) => p[0] >= box.west, (a, b) => cut(a, b, 0, box.west)],
    [(p) => p[0] <= box.east, (a, b) => cut(a, b, 0, box.east)],
    [(p) => p[1] >= box.south, (a, b) => cut(a, b, 1, box.south)],
    [(p) => p[1] <= box.north, (a, b) => cut(a, b, 1, box.north)],
  ];
  let out = ring.slice(0, -1);
  for (const [inside, intersect] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const a = input[(i + input.length - 1) % input.length];
      const b = input[i];
      if (inside(b)) {
        if (!inside(a)) out.push(intersect(a, b));
        out.push(b);
      } else if (inside(a)) {
        out.push(intersect(a, b));
      }
    }
    if (out.length === 0) return null;
  }
  out.push(out[0]);
  return out;
}

function cut(a, b, axis, value) {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  return axis === 0 ? [value, a[1] + t * (b[1] - a[1])] : [a[0] + t * (b[0] - a[0]), value];
}

// Even-odd point in ring.
function contains(ring, [x, y]) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Area-weighted centroid of a ring (planar in degrees, fine for a microstate).
function centroid(ring) {
  let [a, cx, cy] = [0, 0, 0];
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  return a === 0 ? ring[0] : [cx / (3 * a), cy / (3 * a)];
}

const round = (v) => Math.round(v * 10 ** DECIMALS) / 10 ** DECIMALS;

// Rings as flat [lon, lat, lon, lat, ...] arrays, rounded; repeated points (after rounding)
// and the closing point are left out. Rings of fewer than three points are dropped.
function encodeRing(ring) {
  const flat = [];
  let last = null;
  for (const [x, y] of ring.slice(0, -1)) {
    const p = [round(x), round(y)];
    if (last && p[0] === last[0] && p[1] === last[1]) continue;
    flat.push(p[0], p[1]);
    last = p;
  }
  if (flat.length >= 4 && flat[0] === flat[flat.length - 2] && flat[1] === flat[flat.length - 1]) flat.splice(-2);
  return flat.length >= 6 ? flat : null;
}

function encodePolygon(polygon) {
  const rings = polygon.map(encodeRing);
  if (!rings[0]) return null;
  return rings.filter(Boolean);
}

const area = (polygon) => sphericalRingArea(polygon[0], false) - polygon.slice(1).reduce((s, r) => s + sphericalRingArea(r, true), 0);

// Moved polygons, by the ISO2 code of the state they now belong to (topology geometries).
const moved = {};
for (const r of REASSIGNED) {
  const from = byId.get(r.from);
  if (!from || from.type !== "MultiPolygon") fail(`${r.what}: no multipolygon feature ${r.from}`);
  const polygons = polygonsOf(feature(topology, topology.objects.countries.geometries[geometries.indexOf(from)]).geometry);
  const i = polygons.findIndex((p) => contains(p[0], r.inside));
  if (i < 0) fail(`${r.what}: no polygon of feature ${r.from} holds ${r.inside}; check the reassignment`);
  (moved[r.to] ??= []).push({ type: "Polygon", arcs: from.arcs[i] });
  from.arcs = from.arcs.filter((_, j) => j !== i);
}

// --- Member States ---------------------------------------------------------------------------

const countries = [];
for (const m of [...members].sort((a, b) => a.iso2.localeCompare(b.iso2))) {
  const own = [take(NUMERIC[m.iso2][1], m.iso2)];
  for (const id of PARTS[m.iso2] ?? []) own.push(take(id, `part of ${m.iso2}`));
  for (const name of UNCODED_PARTS[m.iso2] ?? []) own.push(takeUncoded(name, `part of ${m.iso2}`));
  own.push(...(moved[m.iso2] ?? []));
  const microstate = MICROSTATES.includes(m.iso2);
  // A microstate's outline is kept whole: simplified, it would collapse to a line or a point.
  const source = microstate ? topology : simplified;
  const sourceOwn = microstate ? own.map((g) => topology.objects.countries.geometries[geometries.indexOf(g)]) : own;
  const merged = sourceOwn.length === 1 ? feature(source, sourceOwn[0]).geometry : merge(source, sourceOwn);

  let polygons = polygonsOf(merged)
    .map((p) => p.map(xy))
    .map((p) => (m.iso2 === "RU" ? unwrap(p) : p))
    .filter((p) => {
      const b = bbox(p[0]);
      const [x, y] = [(b.w + b.e) / 2, (b.s + b.n) / 2];
      return x >= MEMBER_FRAME.west && x <= MEMBER_FRAME.east && y >= MEMBER_FRAME.south && y <= MEMBER_FRAME.north;
    });
  if (polygons.length === 0) fail(`${m.iso2} (${m.name}) has no outline in the frame`);
  polygons.sort((a, b) => area(b) - area(a));
  polygons = polygons.filter((p, i) => i === 0 || microstate || area(p) >= MIN_ISLAND);

  const encoded = polygons.map(encodePolygon).filter(Boolean);
  if (encoded.length === 0) fail(`${m.iso2} (${m.name}) vanished when simplified`);
  const entry = { iso2: m.iso2, polygons: encoded };
  if (microstate) {
    // The marker sits on the largest polygon (Malta's main island).
    entry.marker = centroid(polygons[0][0]).map(round);
  }
  countries.push(entry);
}

// --- Context land ----------------------------------------------------------------------------

const contextGeometries = geometries.filter((g) => !used.has(g));
const context = [];
for (const polygon of polygonsOf(merge(simplified, contextGeometries))) {
  if (area(polygon) < MIN_ISLAND) continue;
  const clipped = polygon.map(xy).map((ring) => clipRing(ring, CONTEXT_BOX));
  if (!clipped[0]) continue;
  const encoded = encodePolygon(clipped.filter(Boolean));
  if (encoded) context.push(encoded);
}

// --- Write -----------------------------------------------------------------------------------

const file = {
  source: `Natural Earth 1:50m Admin 0 countries, via the npm package world-atlas ${atlasVersion} (countries-50m.json)`,
  licence: "Public domain (Natural Earth, https://www.naturalearthdata.com/about/terms-of-use/)",
  generator: `cd app/map && npm ci && node build-map.mjs (${relative(root, join(here, "build-map.mjs"))})`,
  notes: [
    "Coordinates are [lon, lat, lon, lat, ...] rings in degrees (WGS 84), rounded to 2 decimals; the first ring of a polygon is its outline, the rest holes.",
    "Russia's far east is unwrapped past 180° (longitudes up to 190) so its rings stay continuous.",
    "Joined on ISO 3166-1 numeric codes; Åland, the Faroe Islands, the Isle of Man, Jersey, Guernsey and Northern Cyprus are drawn with Finland, Denmark, the United Kingdom and Cyprus, and Crimea with Ukraine.",
    "context: neighbouring land of non-member countries and territories, merged into one grey outline and clipped to the map's frame.",
  ],
  countries,
  context,
};

const json =
  "{\n" +
  Object.entries(file)
    .map(([k, v]) => {
      if (k === "countries") return `  "countries": [\n${v.map((c) => `    ${JSON.stringify(c)}`).join(",\n")}\n  ]`;
      if (k === "context") return `  "context": [\n${v.map((p) => `    ${JSON.stringify(p)}`).join(",\n")}\n  ]`;
      return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    })
    .join(",\n") +
  "\n}\n";
writeFileSync(output, json);

const points = (polys) => polys.flat().reduce((s, r) => s + r.length / 2, 0);
for (const m of members) {
  const c = countries.find((x) => x.iso2 === m.iso2);
  const ne = byId.get(NUMERIC[m.iso2][1]).properties.name;
  if (process.argv.includes("--verbose")) console.log(`${m.iso2} ${m.name.padEnd(24)} NE: ${ne.padEnd(24)} polygons ${c.polygons.length}, points ${points(c.polygons)}`);
}
console.log(
  `${relative(root, output)}: ${json.length} bytes; ${countries.length} countries (${countries.reduce((s, c) => s + points(c.polygons), 0)} points), context ${context.length} polygons (${points(context)} points)`,
);
