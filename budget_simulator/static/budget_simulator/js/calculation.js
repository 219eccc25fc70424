// The one budget calculation, in the browser: budget_simulator/calculation.py line for line,
// on the spec that `BudgetSpec.as_json()` puts in the page. Money is whole pence and
// percentages whole basis points (1% = 100); rounding is to the nearest unit, halves away from
// zero. tests/browser/test_budget_simulator.py feeds this module and the Python the same random
// choices and requires identical results, so change both or neither.

export const PENCE_PER_MILLION = 100_000_000;
export const SYMBOLS = { GBP: "£", EUR: "€" };

// A product of two whole numbers, exactly: a BigInt when it is too big for a Number to hold.
function multiply(a, b) {
  const product = a * b;
  return Number.isSafeInteger(product) ? product : BigInt(a) * BigInt(b);
}

// Integer division rounded to nearest, halves away from zero (denominator > 0). `%` on whole
// Numbers is exact, so the quotient never inherits the error of a floating-point division.
export function divideRounded(numerator, denominator) {
  if (typeof numerator === "bigint" || !Number.isSafeInteger(numerator)) {
    return divideRoundedBig(BigInt(numerator), BigInt(denominator));
  }
  const magnitude = Math.abs(numerator);
  const remainder = magnitude % denominator;
  let quotient = (magnitude - remainder) / denominator;
  if (2 * remainder >= denominator) quotient += 1;
  return numerator >= 0 || quotient === 0 ? quotient : -quotient;
}

function divideRoundedBig(numerator, denominator) {
  const magnitude = numerator < 0n ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if (2n * (magnitude % denominator) >= denominator) quotient += 1n;
  return Number(numerator >= 0n ? quotient : -quotient);
}

// The deepest cut on the step grid that keeps spend at or above any statutory floor.
export function lowestBp(lever) {
  let lowest = lever.minBp;
  if (lever.floorPence !== null && lever.floorPence !== undefined && lever.baselinePence) {
    while (lowest < 0 && lever.baselinePence + lineChange(lever, lowest) < lever.floorPence) {
      lowest += lever.stepBp;
    }
  }
  return lowest;
}

export function highestBp(lever, allowIncreases = true) {
  return allowIncreases || lever.isRevenue ? lever.maxBp : Math.min(lever.maxBp, 0);
}

// Every choice a resident may make, in basis points, lowest first.
export function levels(lever, allowIncreases = true) {
  if (!(lever.stepBp > 0)) throw new RangeError("A lever's step must be more than 0");
  const all = [];
  for (let bp = lowestBp(lever); bp <= highestBp(lever, allowIncreases); bp += lever.stepBp) {
    all.push(bp);
  }
  return all;
}

// Change in a service line's spend, in pence, for a change of `bp` basis points.
export function lineChange(lever, bp) {
  return divideRounded(multiply(lever.baselinePence, bp), 10_000);
}

// Income from a revenue option set to `bp` basis points.
export function revenueRaised(lever, bp) {
  return divideRounded(multiply(lever.pencePerPercent, bp), 100);
}

// Why `bp` is not an allowed choice for this lever, as a code, or null.
export function leverProblem(lever, bp, allowIncreases) {
  if (bp < lever.minBp) return "below_minimum";
  if (bp > lever.maxBp) return "above_maximum";
  if ((bp - lever.minBp) % lever.stepBp) return "off_step";
  if (bp > 0 && !lever.isRevenue && !allowIncreases) return "increase_not_allowed";
  if (
    lever.floorPence !== null &&
    lever.floorPence !== undefined &&
    bp < 0 &&
    lever.baselinePence + lineChange(lever, bp) < lever.floorPence
  ) {
    return "below_floor";
  }
  return null;
}

function chosen(choices, id) {
  return Object.prototype.hasOwnProperty.call(choices, id) ? choices[id] : 0;
}

// The outcome of choices given as {lever id: basis points}; a missing lever means 0.
// The same shape as `Outcome.as_json()`.
export function calculate(spec, lineChoices, revenueChoices) {
  const outcome = { lineChanges: {}, revenueRaised: {}, problems: [] };
  let found = 0;
  for (const lever of spec.lines) {
    const bp = chosen(lineChoices, lever.id);
    const change = lineChange(lever, bp);
    outcome.lineChanges[lever.id] = change;
    found -= change;
    const problem = leverProblem(lever, bp, spec.allowIncreases);
    if (problem) outcome.problems.push([lever.id, problem]);
  }
  for (const lever of spec.revenue) {
    const bp = chosen(revenueChoices, lever.id);
    const raised = revenueRaised(lever, bp);
    outcome.revenueRaised[lever.id] = raised;
    found += raised;
    const problem = leverProblem(lever, bp, spec.allowIncreases);
    if (problem) outcome.problems.push([lever.id, problem]);
  }
  outcome.savingsFoundPence = found;
  outcome.gapPence = Math.max(spec.targetPence - found, 0);
  outcome.targetMet = found >= spec.targetPence;
  if (spec.targetMustBeMet && !outcome.targetMet) outcome.problems.push(["", "target_not_met"]);
  return {
    lineChanges: outcome.lineChanges,
    revenueRaised: outcome.revenueRaised,
    savingsFoundPence: outcome.savingsFoundPence,
    gapPence: outcome.gapPence,
    targetMet: outcome.targetMet,
    valid: outcome.problems.length === 0,
    problems: outcome.problems,
  };
}

// Python orders strings by code point; JavaScript's `<` by UTF-16 unit. Compare as Python does.
function compareText(a, b) {
  const left = Array.from(a, (character) => character.codePointAt(0));
  const right = Array.from(b, (character) => character.codePointAt(0));
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    if (left[index] !== right[index]) return left[index] - right[index];
  }
  return left.length - right.length;
}

// The officer's words for the deepest level this choice reaches, in its direction.
export function consequenceAt(lever, bp) {
  let deepest = null;
  for (const [level, text] of lever.consequences) {
    if (level && bp && (level < 0) === (bp < 0) && Math.abs(level) <= Math.abs(bp)) {
      const reached = [Math.abs(level), text];
      if (
        deepest === null ||
        reached[0] > deepest[0] ||
        (reached[0] === deepest[0] && compareText(reached[1], deepest[1]) > 0)
      ) {
        deepest = reached;
      }
    }
  }
  return deepest ? deepest[1] : "";
}

function withThousands(whole) {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// An amount residents can read: '£8.2 million' from a million up, else '£450,000'.
export function formatMoney(pence, symbol = "£") {
  const amount = Math.abs(pence);
  if (amount >= PENCE_PER_MILLION) {
    const tenths = divideRounded(amount, PENCE_PER_MILLION / 10);
    const last = tenths % 10;
    return `${symbol}${withThousands((tenths - last) / 10)}.${last} million`;
  }
  return `${symbol}${withThousands(divideRounded(amount, 100))}`;
}

// Basis points as a percentage without trailing zeros: 1000 -> '10%', 499 -> '4.99%'.
export function formatPercent(bp) {
  const hundredths = Math.abs(bp) % 100;
  const whole = (Math.abs(bp) - hundredths) / 100;
  if (hundredths === 0) return `${whole}%`;
  if (hundredths % 10 === 0) return `${whole}.${hundredths / 10}%`;
  return `${whole}.${String(hundredths).padStart(2, "0")}%`;
}

// A service line choice in words: 'Cut by 10%: saves £1.2 million'.
export function describeLineChoice(lever, bp, symbol = "£") {
  if (bp === 0) return "No change";
  const money = formatMoney(lineChange(lever, bp), symbol);
  if (bp < 0) return `Cut by ${formatPercent(bp)}: saves ${money}`;
  return `Increase by ${formatPercent(bp)}: costs ${money} more`;
}

// A revenue choice in words: 'Raise by 2.99%: raises £4.5 million'.
export function describeRevenueChoice(lever, bp, symbol = "£") {
  if (bp === 0) return "No change";
  const money = formatMoney(revenueRaised(lever, bp), symbol);
  if (bp < 0) return `Lower by ${formatPercent(bp)}: loses ${money}`;
  return `Raise by ${formatPercent(bp)}: raises ${money}`;
}

// The running total residents read and hear; `outcome` as `calculate` returns it.
export function totalsText(spec, outcome) {
  const symbol = Object.prototype.hasOwnProperty.call(SYMBOLS, spec.currency)
    ? SYMBOLS[spec.currency]
    : "";
  const found = outcome.savingsFoundPence;
  const target = formatMoney(spec.targetPence, symbol);
  const text =
    found < 0
      ? `Your choices add ${formatMoney(found, symbol)} to the gap of ${target}`
      : `You have found ${formatMoney(found, symbol)} of ${target}`;
  if (outcome.targetMet) return `${text}. You have met the savings target.`;
  return `${text}. ${formatMoney(outcome.gapPence, symbol)} still to find.`;
}
