// The page bench's workloads, as definitions and inputs (shared by bench-page.mjs and
// profile-page.mjs, which profiles the same scenarios).

/** `n` Pass states, S0 → S1 → … → S(n-1). */
export function chain(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    States[`S${i}`] = i + 1 < n ? { Type: 'Pass', Next: `S${i + 1}` } : { Type: 'Pass', End: true };
  }
  return { StartAt: 'S0', States };
}

/** A chain of `n` states in all whose end is a Choice: its rule's number (7) is the
 * keystroke's (its arrow's label shows it). */
export function chainWithChoice(n) {
  const States = {};
  const passes = n - 3;
  for (let i = 0; i < passes; i++) States[`S${i}`] = { Type: 'Pass', Next: i + 1 < passes ? `S${i + 1}` : 'Pick' };
  States.Pick = { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: 7, Next: 'A' }], Default: 'B' };
  States.A = { Type: 'Pass', Next: 'B' };
  States.B = { Type: 'Pass', End: true };
  return { StartAt: 'S0', States };
}

/** One Choice with `n - 1` choices, each to a Pass state of its own (the middle one's number,
 * 1000, is the keystroke's: its arrow is in view); the Default is B1. */
export function wideChoice(n) {
  const Choices = [];
  const States = {};
  for (let i = 1; i < n; i++) {
    Choices.push({ Variable: '$.x', NumericEquals: i, Next: `B${i}` });
    States[`B${i}`] = { Type: 'Pass', End: true };
  }
  return { StartAt: 'C', States: { C: { Type: 'Choice', Choices, Default: 'B1' }, ...States } };
}

/** About `bytes` of JSON input: records with a few fields each. */
export function bigInput(bytes, pretty) {
  const items = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = { id: i, name: `customer ${i}`, email: `c${i}@example.com`, tags: ['a', 'b'], score: i * 1.5, active: i % 2 === 0 };
    items.push(item);
    size += JSON.stringify(item, null, pretty ? 2 : 0).length + (pretty ? 6 : 1);
  }
  return JSON.stringify({ items }, null, pretty ? 2 : 0);
}
