/**
 * Sentences that state a result, checked against the run they sit in (STYLE.md, "Results you show"):
 *   claim(q.confident >= 0.75, 'Most samples are digits the classifier is sure of.',
 *         `Only ${pct(q.confident)} of the samples are classified with p > 0.9.`)
 * prints the first text when the condition holds and the second (what was measured) when it does not,
 * so a notebook never asserts what its own numbers contradict.
 */
export function claim(condition: boolean, text: string, otherwise: string): void {
  console.log(condition ? text : otherwise);
}

/** `0.734` → `73 %`. */
export function pct(x: number, digits = 0): string {
  return `${(100 * x).toFixed(digits)} %`;
}
