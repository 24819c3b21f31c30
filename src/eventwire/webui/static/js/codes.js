// Labels of the ontology's small closed sets (the API sends codes; these name them for people).

export const QUAD_CLASSES = [
  [1, "Verbal cooperation"],
  [2, "Material cooperation"],
  [3, "Verbal conflict"],
  [4, "Material conflict"],
];

// Cooperation is green, conflict red; verbal lighter than material.
export const QUAD_COLOURS = { 1: "#6fbf73", 2: "#1b7f3b", 3: "#e57373", 4: "#b71c1c" };

export const CAMEO_ROOTS = [
  ["01", "Make public statement"],
  ["02", "Appeal"],
  ["03", "Express intent to cooperate"],
  ["04", "Consult"],
  ["05", "Engage in diplomatic cooperation"],
  ["06", "Engage in material cooperation"],
  ["07", "Provide aid"],
  ["08", "Yield"],
  ["09", "Investigate"],
  ["10", "Demand"],
  ["11", "Disapprove"],
  ["12", "Reject"],
  ["13", "Threaten"],
  ["14", "Protest"],
  ["15", "Exhibit force posture"],
  ["16", "Reduce relations"],
  ["17", "Coerce"],
  ["18", "Assault"],
  ["19", "Fight"],
  ["20", "Use unconventional mass violence"],
];

export const PLOVER_TYPES = [
  "ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
  "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN",
];

// Events are grouped from asserted mentions only (the other modes qualify single mentions), so "asserted" is the
// one mode an event filter can ask for.
export const MODES = [["asserted", "Asserted (the text says it happened)"]];

// How analysts' corrections are applied to the events listed.
export const CORRECTIONS = [
  ["", "Applied; events marked wrong hidden"],
  ["include_wrong", "Applied; events marked wrong shown"],
  ["machine", "Ignored: the machine's coding"],
];

export const REVIEWED = [
  ["", "Any"],
  ["true", "Reviewed by an analyst"],
  ["false", "Not reviewed yet"],
];

/** The label of a QuadClass number. */
export function quadLabel(quad) {
  return QUAD_CLASSES.find(([value]) => value === Number(quad))?.[1] ?? "–";
}

/** A colour for a relation: by QuadClass when known, else by the sign of its mean Goldstein score. */
export function relationColour(quad, goldstein) {
  if (QUAD_COLOURS[quad]) return QUAD_COLOURS[quad];
  return Number(goldstein) < 0 ? QUAD_COLOURS[4] : QUAD_COLOURS[2];
}
